using System.CommandLine;
using SasDashboard.Cli.Configuration;
using SasDashboard.Steering.Demo;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas demo prepare</c>: build (or reuse) the demo workspace and print what it measured.</summary>
public static class DemoCommand
{
    public static Command Create(SasSettings settings) => new("demo", "The embedded demo workspace: a model, SAEs and datasets made on this machine.")
    {
        CreatePrepare(settings),
    };

    private static Command CreatePrepare(SasSettings settings)
    {
        var output = new Option<string?>("--out") { Description = "Workspace folder (default: <data directory>/demo/<size>-seed<seed>)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => settings.Demo.Seed, Description = "Everything in the workspace follows from this seed." };
        var size = new Option<DemoSize>("--size")
        {
            DefaultValueFactory = _ => settings.Demo.Size,
            Description = "small: a few minutes on two cores; test: about a minute, what the test suite uses.",
        };
        var json = CommonOptions.Json();
        var command = new Command("prepare",
            "Generate the synthetic world, train the model and its SAEs, write the datasets, build CAA and SAS vectors " +
            "and sweep λ; reuse the workspace when it is already built for this seed, size and generator version.")
        {
            output, seed, size, json,
        };
        command.SetAction(async (result, writer, cancellationToken) =>
        {
            var chosenSize = result.GetValue(size);
            int chosenSeed = result.GetValue(seed);
            var root = result.GetValue(output)
                       ?? Path.Combine(settings.Engine.DataRoot, "demo", $"{chosenSize.ToString().ToLowerInvariant()}-seed{chosenSeed}");
            var workspace = new DemoWorkspace(root);
            var progress = new StageProgressWriter(result.InvocationConfiguration.Error);
            var report = await workspace.PrepareAsync(chosenSize, chosenSeed, progress, cancellationToken);
            if (result.GetValue(json)) await writer.WriteJsonAsync(new { workspace = workspace.Root, report, outcomes = report.Outcomes() });
            else await writer.WriteLineAsync(DemoReportText.Format(workspace, report));
        });
        return command;
    }

    /// <summary>One line per stage change, and at most one every few seconds within a stage.</summary>
    private sealed class StageProgressWriter(TextWriter error) : IProgress<DemoProgress>
    {
        private string? _stage;
        private DateTime _last;

        public void Report(DemoProgress value)
        {
            var now = DateTime.UtcNow;
            if (value.Stage == _stage && now - _last < TimeSpan.FromSeconds(5) && value.Done != value.Total) return;
            _stage = value.Stage;
            _last = now;
            error.WriteLine($"[{now:HH:mm:ss}] {value.Stage} {value.Done}/{value.Total}{(value.Detail is null ? "" : " " + value.Detail)}");
        }
    }
}

/// <summary>The demo report as a reader wants it: where things are, what was measured, which promises hold.</summary>
public static class DemoReportText
{
    public static string Format(DemoWorkspace workspace, DemoReport report)
    {
        var lines = new List<string>
        {
            $"Demo workspace {workspace.Root} ({report.Size}, seed {report.Seed}, built in {report.TotalSeconds:F0} s)",
            $"  model     {report.Model.Directory}: {report.Model.Architecture}, {report.Model.Layers} layers, hidden {report.Model.HiddenSize}, " +
            $"vocabulary {report.Model.VocabularySize}, {report.Model.Parameters:N0} parameters, final loss {report.Model.FinalLoss:F3}",
            $"  knowledge (MMLU layout) accuracy {report.KnowledgeAccuracy:F3}; TruthfulQA MC1 {report.TruthfulQaMc1:F3}, MC2 {report.TruthfulQaMc2:F3}",
            $"  SAEs at layer {report.Model.SteeringLayer}:",
        };
        lines.AddRange(report.Saes.Select(s =>
            $"    width {s.Width,5}: variance explained {s.Quality.FractionOfVarianceExplained:F3}, mean L0 {s.Quality.MeanL0:F1}, dead {s.Quality.DeadFeatures}"));
        lines.Add($"  A/B behaviour P(matching) over λ ∈ [{string.Join(", ", report.Lambdas)}], every vector rescaled to the mean residual norm {report.Model.MeanResidualNorm:F1}:");
        foreach (var behavior in report.Behaviors)
        {
            lines.Add($"    {behavior.Behavior}: unsteered {behavior.Baseline:F3}");
            lines.AddRange(behavior.Curves.Select(c =>
                $"      {c.Label,-20} L0 {c.L0,5}  {string.Join(" ", c.Points.Select(p => p.MatchingShare.ToString("F2")))}  best shift {Signed(c.BestShift)} at λ {c.BestLambda}"));
        }
        lines.Add("  outcomes:");
        lines.AddRange(report.Outcomes().Select(o => $"    [{(o.Met ? "met" : "NOT MET")}] {o.Claim}: {o.Value:F3}"));
        lines.Add("  stages: " + string.Join(", ", report.Stages.Select(s => $"{s.Stage} {s.Seconds:F0} s")));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Signed(double value)
    {
        var rounded = Math.Round(value, 3);
        return (rounded >= 0 ? "+" : "") + (rounded == 0 ? 0 : rounded).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
    }
}
