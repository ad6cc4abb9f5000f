namespace SasDashboard.Cli.Tests;

public sealed class SasCommandLineTests
{
    [Fact]
    public async Task Help_ListsEveryVerb()
    {
        var result = await CliRunner.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "generate", "eval", "inspect-model", "build-vector", "inspect-vector", "bench", "demo" })
            Assert.Contains(verb, result.Output);
    }

    [Fact]
    public async Task UnknownVerb_FailsWithAMessage()
    {
        var result = await CliRunner.RunAsync("frobnicate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.Error);
    }
}
