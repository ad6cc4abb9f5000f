using System.Diagnostics;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tokenization;
using static TorchSharp.torch;

namespace SasDashboard.Cli.Benchmarks;

/// <summary>What <c>sas bench sweep</c> measured.</summary>
public sealed record SweepBenchmarkResult(string Model, string Device, int Threads, int Layers, int Layer, int Points,
    int Items, double MeanPromptTokens, int BatchSize, double SeparateSeconds, double SweepSeconds, double Ratio,
    double MaxProbabilityDifference);

/// <summary>What to measure: the model (a checkpoint, or random weights of a published shape) and the workload.</summary>
/// <param name="BatchSize">Rows per forward pass; equal to <paramref name="Points"/> by default, so that both sides run
/// passes of the same size and the figure shows the work saved, not a difference in batching.</param>
public sealed record SweepBenchmarkOptions(string Shape, string? ModelDirectory, string? Dataset, string? Vector, int Points,
    int Items, int PromptTokens, int? Layer, int BatchSize);

/// <summary>
/// A K-point λ sweep of A/B next-token scoring, λ-batched (<see cref="NextTokenScorer.SweepProbabilities"/>) against K
/// separate evaluations with the same steering (<see cref="NextTokenScorer.Probabilities"/> per λ). The λ values leave
/// out 0, which sweeps take from the shared unsteered evaluation. Prompts are a behaviour dataset's (with a checkpoint
/// and <c>--dataset</c>) or random token ids of the given length; the steering is a saved vector or a random dense one
/// at the middle layer. Both sides' probabilities are compared, so the figure is only reported for equal results.
/// </summary>
public static class SweepBenchmark
{
    public static async Task<SweepBenchmarkResult> RunAsync(SweepBenchmarkOptions options, ComputeTarget target, TextWriter log,
        CancellationToken cancellationToken)
    {
        if (options.Points < 1 || options.Items < 1 || options.PromptTokens < 2)
            throw new ArgumentException("--points and --items must be ≥ 1 and --prompt-tokens ≥ 2");
        string name = options.ModelDirectory ?? options.Shape;
        log.WriteLine(options.ModelDirectory is null ? $"building {name} with random weights…" : $"loading {name}…");
        using var model = options.ModelDirectory is { } directory
            ? ModelLoader.Load(directory, target)
            : ModelLoader.Create(ModelShapes.Get(options.Shape), new RandomWeightSource(0, target.DType, target.Device), target);
        var config = model.Config;
        var tokenizer = options.ModelDirectory is null ? null : ModelTokenizer.Load(options.ModelDirectory);
        var prompts = await PromptsAsync(options, config, tokenizer, cancellationToken);
        int padId = tokenizer?.PadId ?? config.PadTokenId ?? 0;
        var lambdas = Enumerable.Range(1, options.Points).Select(i => i - (options.Points + 1) / 2 - 0.5).ToList();

        using var library = new SteeringLibrary(target, config);
        var saved = options.Vector is { } path
            ? new SteeringSetup([new VectorTermSpec(path, Layer: options.Layer)], SteeringPositions.All)
            : null;
        int layer = saved is not null ? library.Describe(saved)[0].Layer : options.Layer ?? Math.Max(0, config.NumLayers / 2 - 1);
        using var vector = randn([config.HiddenSize], generator: new Generator(7)).mul_(4.0 / Math.Sqrt(config.HiddenSize));
        SteeringHook Hook(double lambda) => saved is not null
            ? library.CreateHook(saved, lambda)!
            : new SteeringHook([new DenseTerm(layer, vector, lambda)], SteeringPositions.All, target.Device, target.DType);

        double meanTokens = prompts.Average(p => p.Ids.Count);
        int batchPrompts = Math.Min(options.BatchSize, prompts.Count), steeredPrompts = Math.Max(1, batchPrompts / options.Points);
        log.WriteLine($"{prompts.Count} prompts of {meanTokens:F0} tokens on average; {options.Points} λ values; "
                      + $"steering after block {layer} of {config.NumLayers}; {get_num_threads()} threads");
        log.WriteLine($"rows per pass (batch size {options.BatchSize}): separate {batchPrompts} prompts; sweep {batchPrompts} prompts "
                      + $"through blocks 0–{layer}, then {steeredPrompts} prompt(s) × {options.Points} λ through the blocks above");
        NextTokenScorer.Probabilities(model, prompts.Take(1).ToList(), padId, cancellationToken: cancellationToken); // warm-up

        var watch = Stopwatch.StartNew();
        var separate = lambdas.Select(lambda =>
        {
            using var hook = Hook(lambda);
            var probabilities = NextTokenScorer.Probabilities(model, prompts, padId, [hook], options.BatchSize,
                cancellationToken: cancellationToken);
            log.WriteLine($"  separate evaluation λ = {lambda}: {watch.Elapsed.TotalSeconds:F1} s so far");
            return probabilities;
        }).ToList();
        double separateSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        double[][][] swept;
        using (var hook = Hook(1))
            swept = NextTokenScorer.SweepProbabilities(model, prompts, padId, hook, lambdas, options.BatchSize,
                cancellationToken: cancellationToken);
        double sweepSeconds = watch.Elapsed.TotalSeconds;

        double difference = 0;
        for (int l = 0; l < lambdas.Count; l++)
        for (int i = 0; i < prompts.Count; i++)
        for (int c = 0; c < separate[l][i].Length; c++)
            difference = Math.Max(difference, Math.Abs(separate[l][i][c] - swept[l][i][c]));
        log.WriteLine($"{options.Points} separate evaluations {separateSeconds:F1} s; λ-batched sweep {sweepSeconds:F1} s; "
                      + $"ratio {sweepSeconds / separateSeconds:F2}; max |Δp| {difference:G3}");
        return new SweepBenchmarkResult(name, target.ToString(), get_num_threads(), config.NumLayers, layer, options.Points,
            prompts.Count, meanTokens, options.BatchSize, separateSeconds, sweepSeconds, sweepSeconds / separateSeconds, difference);
    }

    private static async Task<List<NextTokenPrompt>> PromptsAsync(SweepBenchmarkOptions options, ModelConfig config,
        ModelTokenizer? tokenizer, CancellationToken cancellationToken)
    {
        if (options.Dataset is { } path)
        {
            if (tokenizer is null) throw new ArgumentException("--dataset needs --model (its tokenizer writes the prompts)");
            var dataset = await CaaBehaviorImporter.ImportAsync(path, cancellationToken);
            return dataset.Items.Take(options.Items)
                .Select(item => NextTokenPrompt.For(tokenizer, tokenizer.Template, AbPrompt.For(item))).ToList();
        }
        // Random ids after BOS, of the length asked for, with two arbitrary candidate tokens.
        var random = new Random(11);
        int first = config.BosTokenId is null ? 0 : 1;
        return Enumerable.Range(0, options.Items).Select(_ => new NextTokenPrompt(
            Enumerable.Range(0, options.PromptTokens).Select(t => t < first ? config.BosTokenId!.Value : random.Next(3, config.VocabSize)).ToArray(),
            [random.Next(3, config.VocabSize), random.Next(3, config.VocabSize)])).ToList();
    }
}
