using System.CommandLine;
using SasDashboard.Cli.Configuration;

namespace SasDashboard.Cli.Tests;

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the real <c>sas</c> command line in-process, capturing what it writes.</summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs it with <paramref name="settings"/> as its configuration (null: the process's own, as <c>sas</c> loads it).</summary>
    public static async Task<CliResult> RunAsync(SasSettings? settings, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await SasCommandLine.Create(settings).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
