using System.CommandLine;
using System.Text.Json;
using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Cli.Commands;

/// <summary>Runs a verb's body: expected failures (bad files, bad arguments) print one clear line and exit 1.</summary>
public static class CommandRunner
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void SetAction(this Command command, Func<ParseResult, TextWriter, CancellationToken, Task> body) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            try
            {
                await body(result, output, cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is CheckpointException or DatasetFormatException or TokenizerException or ArgumentException
                                          or IOException or InvalidDataException or InvalidOperationException or FormatException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("cancelled");
                return 130;
            }
        });

    public static Task WriteJsonAsync(this TextWriter output, object value) =>
        output.WriteLineAsync(JsonSerializer.Serialize(value, JsonOptions));
}
