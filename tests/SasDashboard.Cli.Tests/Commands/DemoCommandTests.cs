using System.Text.Json;
using SasDashboard.Testing;

namespace SasDashboard.Cli.Tests.Commands;

public sealed class DemoCommandTests(DemoWorkspaceFixture demo) : IClassFixture<DemoWorkspaceFixture>
{
    [Fact]
    public async Task PrepareOnABuiltWorkspacePrintsItsReportAndOutcomesAsJson()
    {
        var result = await CliRunner.RunAsync("demo", "prepare", "--size", "test", "--seed", DemoWorkspaceFixture.Seed.ToString(),
            "--out", demo.Workspace.Root, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(demo.Workspace.Root, json.RootElement.GetProperty("workspace").GetString());
        var report = json.RootElement.GetProperty("report");
        Assert.Equal(demo.Report.KnowledgeAccuracy, report.GetProperty("knowledge_accuracy").GetDouble());
        var outcomes = json.RootElement.GetProperty("outcomes").EnumerateArray().ToList();
        Assert.Equal(demo.Report.Outcomes().Select(o => (o.Claim, o.Met)),
            outcomes.Select(o => (o.GetProperty("claim").GetString()!, o.GetProperty("met").GetBoolean())));
    }

    [Fact]
    public async Task PrepareOnABuiltWorkspacePrintsAReadableSummary()
    {
        var result = await CliRunner.RunAsync("demo", "prepare", "--size", "test", "--out", demo.Workspace.Root);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("knowledge (MMLU layout) accuracy", result.Output);
        Assert.Contains("SAS (", result.Output);
        Assert.Equal(demo.Report.Outcomes().Count(o => !o.Met), result.Output.Split("[NOT MET]").Length - 1);
    }
}
