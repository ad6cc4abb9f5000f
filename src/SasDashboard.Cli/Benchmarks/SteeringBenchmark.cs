using System.Diagnostics;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using static TorchSharp.torch;

namespace SasDashboard.Cli.Benchmarks;

/// <summary>Decode speed at one SAE width: unsteered, SAS through the support-only edit, and SAS by the full formula.</summary>
public sealed record SteeringWidthResult(int Width, long SaeBytes, double UnsteeredTokensPerSecond,
    double SteeredTokensPerSecond, double SteeredOverUnsteered, double FullFormulaTokensPerSecond,
    double FullFormulaOverUnsteered);

public sealed record SteeringBenchmarkResult(string Shape, string Device, string DType, int Threads, int Layer,
    int Support, int PromptTokens, int DecodeTokens, int Repeats, IReadOnlyList<SteeringWidthResult> Widths);

public sealed record SteeringBenchmarkOptions(string Shape, IReadOnlyList<int> Widths, int Support, int PromptTokens,
    int DecodeTokens, int Repeats, int? Layer);

/// <summary>
/// The cost of SAS steering in KV-cached decoding, against SAE width. A random-weight model of a published shape and,
/// per width, a random JumpReLU SAE and a SAS vector with <see cref="SteeringBenchmarkOptions.Support"/> features (real
/// SAS vectors have tens). Three ways to decode, interleaved and repeated, medians reported: without steering; with
/// the engine's <see cref="SteeringHook"/>, which touches only the vector's features; and with the formula
/// <c>dec(σ(enc(a) + λv)) + (a − dec(enc(a)))</c> computed at full width, as the paper does — the cost the shortcut
/// avoids.
/// </summary>
public static class SteeringBenchmark
{
    public static SteeringBenchmarkResult Run(SteeringBenchmarkOptions options, ComputeTarget target, TextWriter log,
        CancellationToken cancellationToken)
    {
        if (options.Widths.Count == 0 || options.Widths.Any(w => w < 1) || options.Support < 1 || options.DecodeTokens < 1 || options.Repeats < 1)
            throw new ArgumentException("--widths must list at least one width; --l0, --decode-tokens and --repeats must be ≥ 1");
        if (options.Widths.FirstOrDefault(w => w < options.Support) is > 0 and var narrow)
            throw new ArgumentException($"--l0 {options.Support} exceeds the SAE width {narrow}");
        var shape = ModelShapes.Get(options.Shape);
        log.WriteLine($"building {options.Shape} with random weights ({shape.ParameterCount():N0} parameters, {ComputeTarget.NameOf(target.DType)})…");
        using var model = ModelLoader.Create(shape, new RandomWeightSource(0, target.DType, target.Device), target);
        int layer = options.Layer ?? Math.Max(0, shape.NumLayers / 2 - 1);
        using var noGrad = no_grad();
        using var prompt = randint(3, shape.VocabSize, [1, options.PromptTokens], ScalarType.Int64, target.Device);

        var results = new List<SteeringWidthResult>();
        foreach (int width in options.Widths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var sae = RandomSae(shape.HiddenSize, width, target);
            var generator = new Random(width);
            var support = Enumerable.Range(0, width).OrderBy(_ => generator.Next()).Take(options.Support).Select(i => (long)i).ToArray();
            var values = support.Select(_ => (float)(generator.NextDouble() * 4 - 2)).ToArray();
            using var shortcut = new SteeringHook([new SparseTerm(layer, sae, support, values, 1.0)], SteeringPositions.All,
                target.Device, target.DType);
            using var full = new FullWidthSasHook(layer, sae, support, values);

            var unsteered = new List<double>();
            var steered = new List<double>();
            var fullWidth = new List<double>();
            DecodeTokensPerSecond(model, prompt, options.DecodeTokens, null, cancellationToken); // warm-up
            for (int repeat = 0; repeat < options.Repeats; repeat++)
            {
                unsteered.Add(DecodeTokensPerSecond(model, prompt, options.DecodeTokens, null, cancellationToken));
                steered.Add(DecodeTokensPerSecond(model, prompt, options.DecodeTokens, shortcut, cancellationToken));
                fullWidth.Add(DecodeTokensPerSecond(model, prompt, options.DecodeTokens, full, cancellationToken));
            }
            double plain = Median(unsteered), sparse = Median(steered), dense = Median(fullWidth);
            long bytes = (sae.EncoderWeight.NumberOfElements + sae.DecoderWeight.NumberOfElements) * sae.EncoderWeight.ElementSize;
            var row = new SteeringWidthResult(width, bytes, plain, sparse, plain / sparse, dense, plain / dense);
            results.Add(row);
            log.WriteLine($"width {width,7} ({bytes / 1e9:F2} GB): unsteered {plain:F2} tok/s, SAS {sparse:F2} tok/s " +
                          $"({row.SteeredOverUnsteered:F3}× the time), full-width formula {dense:F2} tok/s ({row.FullFormulaOverUnsteered:F3}×)");
        }
        return new SteeringBenchmarkResult(options.Shape, target.Device.ToString(), ComputeTarget.NameOf(target.DType),
            get_num_threads(), layer, options.Support, options.PromptTokens, options.DecodeTokens, options.Repeats, results);
    }

    /// <summary>A Gemma Scope-like JumpReLU SAE: unit-norm decoder rows, encoder their transpose, small thresholds.</summary>
    private static SparseAutoencoder RandomSae(int inputSize, int width, ComputeTarget target)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)width);
        var decoder = randn([width, inputSize], generator: generator);
        decoder.div_(decoder.norm(1, keepdim: true));
        var weights = new SaeWeights(decoder.t().contiguous().to(target.DType, target.Device).DetachFromDisposeScope(),
            zeros(width).to(target.DType, target.Device).DetachFromDisposeScope(),
            decoder.to(target.DType, target.Device).DetachFromDisposeScope(),
            zeros(inputSize).to(target.DType, target.Device).DetachFromDisposeScope(),
            rand([width], generator: generator).mul_(0.1).to(target.DType, target.Device).DetachFromDisposeScope());
        return new SparseAutoencoder(weights, new SaeArchitecture(SaeActivation.JumpRelu),
            new SaeOrigin("random", $"random JumpReLU SAE of width {width}"));
    }

    /// <summary>Prefill, then <paramref name="tokens"/> greedy KV-cached steps; the steps' tokens per second.</summary>
    private static double DecodeTokensPerSecond(CausalLanguageModel model, Tensor prompt, int tokens,
        IResidualStreamHook? hook, CancellationToken cancellationToken)
    {
        IReadOnlyList<IResidualStreamHook>? hooks = hook is null ? null : [hook];
        using var cache = new KvCache(model.Config, 1, (int)prompt.shape[1] + tokens, model.Target.DType, model.Target.Device);
        var logits = model.Forward(prompt, cache: cache, hooks: hooks, lastTokenOnly: true);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < tokens; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var next = logits.argmax(-1);
            logits.Dispose();
            logits = model.Forward(next, cache: cache, hooks: hooks, lastTokenOnly: true);
        }
        if (model.Target.Device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(model.Target.Device);
        double seconds = watch.Elapsed.TotalSeconds;
        logits.Dispose();
        return tokens / seconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The paper's way: encode and decode the whole width at every token.</summary>
    private sealed class FullWidthSasHook : IResidualStreamHook, IDisposable
    {
        private readonly int _layer;
        private readonly SparseAutoencoder _sae;
        private readonly Tensor _vector;

        public FullWidthSasHook(int layer, SparseAutoencoder sae, long[] support, float[] values)
        {
            _layer = layer;
            _sae = sae;
            _vector = zeros(sae.FeatureCount, sae.DType, sae.Device)
                .index_put_(tensor(values).to(sae.DType, sae.Device), tensor(support).to(sae.Device));
        }

        public IReadOnlyCollection<int> Layers => [_layer];

        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
        {
            using var scope = NewDisposeScope();
            var encoding = _sae.Encode(residual);
            var steered = _sae.Activate(encoding.Features + _vector);
            var edited = _sae.Decode(steered, encoding.Shift, encoding.Scale) + (residual - _sae.Decode(encoding));
            return edited.to(residual.dtype).MoveToOuterDisposeScope();
        }

        public void Dispose() => _vector.Dispose();
    }
}
