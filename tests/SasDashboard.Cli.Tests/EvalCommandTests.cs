using System.CommandLine;
using System.Text.Json;

namespace SasDashboard.Cli.Tests;

public sealed class EvalCommandTests(CliWorkspace workspace) : IClassFixture<CliWorkspace>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = await SasCommandLine.Create().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string[] Eval(params string[] more) => ["eval", "--model", workspace.ModelDirectory, .. more];

    [Fact]
    public async Task Json_HoldsTheItemCountAndEveryLambdasAggregate_AndItemsGoToJsonLines()
    {
        var itemsPath = workspace.File($"items-{Guid.NewGuid():N}.jsonl");
        var (exitCode, output, error) = await RunAsync(Eval("--benchmark", "behavior", "--dataset", workspace.BehaviorAb,
            "--steer", workspace.Vector, "--multipliers", "-1,0,2", "--batch-size", "4", "--items-out", itemsPath, "--json"));

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("items").GetInt32());
        Assert.Equal("behavior", root.GetProperty("benchmark").GetString());
        Assert.Equal("caa", root.GetProperty("terms")[0].GetProperty("method").GetString());
        var points = root.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([-1.0, 0.0, 2.0], points.Select(p => p.GetProperty("lambda").GetDouble()));
        foreach (var point in points)
        {
            var aggregate = point.GetProperty("aggregate");
            Assert.Equal("paired_answer", aggregate.GetProperty("type").GetString());
            Assert.InRange(aggregate.GetProperty("positive_share").GetProperty("mean").GetDouble(), 0, 1);
        }

        var lines = File.ReadAllLines(itemsPath);
        Assert.Equal(9, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(0, first.RootElement.GetProperty("lambda").GetDouble());
        Assert.Equal("paired_answer", first.RootElement.GetProperty("item").GetProperty("type").GetString());
        Assert.Equal("A", first.RootElement.GetProperty("item").GetProperty("positive_letter").GetString());
    }

    [Fact]
    public async Task Text_PrintsOneLinePerLambda()
    {
        var (exitCode, output, error) = await RunAsync(Eval("--benchmark", "behavior", "--dataset", workspace.BehaviorAb,
            "--steer", $"{workspace.Vector}:0.5", "--multipliers=-2,1", "--limit", "2"));

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.Contains("positive share", line));
        Assert.Contains("(2 items)", lines[0]);
    }

    [Fact]
    public async Task WithoutSteering_EvaluatesTheUnsteeredModelOnce()
    {
        var (exitCode, output, error) = await RunAsync(Eval("--benchmark", "behavior", "--dataset", workspace.BehaviorAb, "--json"));

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("none", json.RootElement.GetProperty("steering").GetString());
        Assert.Single(json.RootElement.GetProperty("points").EnumerateArray());
    }

    [Fact]
    public async Task OpenEnded_WithoutJudge_RecordsTextsAndSaysScoresAreAbsent()
    {
        var itemsPath = workspace.File($"open-{Guid.NewGuid():N}.jsonl");
        var (exitCode, output, error) = await RunAsync(Eval("--benchmark", "open-ended", "--dataset", workspace.OpenEnded,
            "--steer", workspace.Vector, "--multipliers", "0,1", "--max-new-tokens", "3", "--items-out", itemsPath,
            "--judge-cache", workspace.File("judgments.jsonl")));

        Assert.True(exitCode == 0, error);
        Assert.Contains("judge scores absent", output);
        using var line = JsonDocument.Parse(File.ReadAllLines(itemsPath)[0]);
        var item = line.RootElement.GetProperty("item");
        Assert.Equal("open_ended", item.GetProperty("type").GetString());
        Assert.True(item.GetProperty("perplexity").GetDouble() > 1);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("coherence").ValueKind);
    }

    [Fact]
    public async Task MalformedDataset_FailsWithOneClearLine()
    {
        var (exitCode, _, error) = await RunAsync(Eval("--benchmark", "behavior", "--dataset", workspace.Malformed));

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"error: {workspace.Malformed}, record 1: the question has no lettered choices", error);
    }

    [Theory]
    [InlineData("--multipliers", "1,x", "'x' is not a number")]
    [InlineData("--shots", "5", "shots apply to MMLU only")]
    [InlineData("--steer-positions", "middle", "expected all, generated or from:N")]
    [InlineData("--limit", "0", "the item limit must be ≥ 1")]
    public async Task BadOptions_FailWithClearErrors(string option, string value, string message)
    {
        var (exitCode, _, error) = await RunAsync(Eval("--benchmark", "behavior", "--dataset", workspace.BehaviorAb, option, value));

        Assert.Equal(1, exitCode);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task UnknownBenchmark_IsAParseError()
    {
        var (exitCode, _, error) = await RunAsync(Eval("--benchmark", "hellaswag", "--dataset", workspace.BehaviorAb));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("hellaswag", error);
    }

    [Fact]
    public async Task Generate_StillSteersWithAWeightedVector()
    {
        var (exitCode, output, error) = await RunAsync("generate", "--model", workspace.ModelDirectory, "--prompt", "is the sky",
            "--steer", $"{workspace.Vector}:2", "--max-new-tokens", "3", "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("generated_ids").GetArrayLength());
    }
}
