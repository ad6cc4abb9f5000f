using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SasDashboard.Cli.Configuration;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Evaluation.Judging;
using SasDashboard.Steering.Evaluation.Sweeps;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Cli.Commands;

/// <summary>
/// <c>sas eval</c>: one benchmark under one steering setup at several multipliers, as a λ sweep. With <c>--json</c>,
/// one object with the item count and each λ's aggregate; <c>--items-out</c> writes every item's result as JSON lines.
/// </summary>
public static class EvalCommand
{
    private static readonly JsonSerializerOptions JsonLines = new(CommandRunner.JsonOptions) { WriteIndented = false };

    public static Command Create(SasSettings settings)
    {
        var engine = settings.Engine;
        var model = CommonOptions.Model();
        var benchmark = new Option<string>("--benchmark")
        {
            Description = "The evaluation: " + string.Join(", ", BenchmarkKinds.CliNames) + ".",
            Required = true,
        };
        benchmark.AcceptOnlyFromAmong([.. BenchmarkKinds.CliNames]);
        var dataset = new Option<string>("--dataset")
        {
            Description = "The benchmark's file or folder: CAA A/B, open-ended or answer-pair JSON, the MMLU CSV folder, "
                          + "TruthfulQA.csv or mc_task.json.",
            Required = true,
        };
        var multipliers = new Option<string>("--multipliers")
        {
            Description = "Comma-separated λ values; each scales every steering term's weight (λ = 0 is the unsteered model).",
            DefaultValueFactory = _ => "-1,0,1",
        };
        var limit = new Option<int?>("--limit") { Description = "Evaluate the first N items only (MMLU: spread over subjects)." };
        var shots = new Option<int>("--shots") { Description = "MMLU CSV: 0 or 5 dev examples per prompt.", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Open-ended answer length.", DefaultValueFactory = _ => 100 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per forward pass.", DefaultValueFactory = _ => 16 };
        var itemsOut = new Option<string?>("--items-out") { Description = "Write every item's result at every λ to this file, as JSON lines." };
        var template = new Option<string>("--template")
        {
            Description = "Chat template for A/B, answer-pair and open-ended prompts: auto (the model's), gemma, llama3 or plain.",
            DefaultValueFactory = _ => "auto",
        };
        var judgeCache = new Option<string>("--judge-cache")
        {
            Description = "Judgment cache (JSON lines) for open-ended scoring; the judge is configured by the Judge section "
                          + "of appsettings.json or SAS_JUDGE__BASEURL, SAS_JUDGE__MODEL and SAS_JUDGE__APIKEY.",
            DefaultValueFactory = _ => engine.JudgmentCache,
        };
        var device = CommonOptions.Device(engine);
        var dtype = CommonOptions.DType(engine);
        var json = CommonOptions.Json();
        var steering = new SteeringOptions();
        var command = new Command("eval", "Evaluate a benchmark under steering at several strengths (a λ sweep).")
        {
            model, benchmark, dataset, multipliers, limit, shots, maxNew, batch, itemsOut, template, judgeCache, device, dtype, json,
        };
        foreach (var option in steering.All) command.Add(option);

        command.SetAction(async (result, output, ct) =>
        {
            var target = CommonOptions.Target(result, device, dtype);
            var kind = BenchmarkKinds.FromCliName(result.GetValue(benchmark)!)!.Value;
            var setup = steering.Setup(result);
            var spec = new BenchmarkSpec(kind, result.GetValue(dataset)!, result.GetValue(limit), result.GetValue(shots),
                result.GetValue(maxNew));
            spec.Validate();
            var plan = new SweepPlan([spec], [setup], ParseMultipliers(result.GetValue(multipliers)!));
            var directory = result.GetValue(model)!;
            var tokenizer = ModelTokenizer.Load(directory);
            var options = new EvaluationOptions(result.GetValue(batch),
                result.GetValue(template) is "auto" or null ? null : PromptTemplate.FromName(result.GetValue(template)!));
            options.Validate();
            var judgeOptions = kind == BenchmarkKind.OpenEnded ? settings.ConfiguredJudge : null;
            using var judge = judgeOptions is null ? null
                : new OpenAiCompatibleJudge(judgeOptions, new JudgmentCache(result.GetValue(judgeCache)!));
            bool asJson = result.GetValue(json);
            await using var items = result.GetValue(itemsOut) is { } itemsPath ? new StreamWriter(itemsPath) : null;

            var points = new List<PointResult>();
            await Task.Run(async () =>
            {
                using var lm = ModelLoader.Load(directory, target);
                using var library = new SteeringLibrary(target, lm.Config);
                var runner = new SweepRunner(lm, tokenizer, library, options, judge);
                await runner.RunAsync(plan, new HashSet<string>(), async (point, token) =>
                {
                    points.Add(point);
                    if (items is not null)
                        foreach (var item in point.Items)
                            await items.WriteLineAsync(JsonSerializer.Serialize(
                                new { key = point.Point.Key, lambda = point.Point.Lambda, item }, JsonLines).AsMemory(), token);
                    if (!asJson) await output.WriteLineAsync($"λ = {Lambda(point.Point.Lambda)}: {point.Aggregate.Describe()}");
                }, null, ct);
            }, ct);

            if (!asJson) return;
            var first = points[0];
            await output.WriteJsonAsync(new
            {
                model = directory,
                benchmark = kind.CliName(),
                dataset = spec.Dataset,
                dataset_hash = first.DatasetHash,
                items = first.Aggregate.Items,
                steering = setup.Key,
                terms = first.Steering,
                positions = setup.PositionsText,
                judge = judge is null ? null : judgeOptions!.Model,
                points = points.OrderBy(p => p.Point.Lambda).Select(p => new { lambda = p.Point.Lambda, key = p.Point.Key, aggregate = p.Aggregate }),
            });
        });
        return command;
    }

    /// <summary>"-2,-1,0,1,2" → the λ values, in order; duplicates are dropped.</summary>
    private static IReadOnlyList<double> ParseMultipliers(string text)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new ArgumentException($"--multipliers '{text}': '{part}' is not a number");
            if (!values.Contains(value)) values.Add(value);
        }
        return values.Count > 0 ? values : throw new ArgumentException("--multipliers needs at least one value");
    }

    private static string Lambda(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
