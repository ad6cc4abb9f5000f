using System.Text.Json;

namespace SasDashboard.Cli.Tests.Commands;

/// <summary>Benchmarks run and report (their figures are measured by running them, not asserted here).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task SteeringBenchmarkReportsEveryWidthWithTheThreeWaysOfDecoding()
    {
        var result = await CliRunner.RunAsync("bench", "steering", "--shape", "gemma2-2b-2layers", "--widths", "512,2048",
            "--l0", "8", "--prompt-tokens", "4", "--decode-tokens", "2", "--repeats", "1", "--device", "cpu", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var widths = json.RootElement.GetProperty("widths").EnumerateArray().ToList();
        Assert.Equal([512, 2048], widths.Select(w => w.GetProperty("width").GetInt32()));
        foreach (var width in widths)
        {
            Assert.Equal(2L * 2304 * width.GetProperty("width").GetInt32() * 4, width.GetProperty("sae_bytes").GetInt64());
            foreach (var speed in new[] { "unsteered_tokens_per_second", "steered_tokens_per_second", "full_formula_tokens_per_second" })
                Assert.True(width.GetProperty(speed).GetDouble() > 0, speed);
        }
    }

    [Fact]
    public async Task SteeringBenchmarkRefusesAVectorWiderThanItsSae()
    {
        var result = await CliRunner.RunAsync("bench", "steering", "--shape", "gemma2-2b-2layers", "--widths", "16", "--l0", "40");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--l0 40 exceeds the SAE width 16", result.Error);
    }
}
