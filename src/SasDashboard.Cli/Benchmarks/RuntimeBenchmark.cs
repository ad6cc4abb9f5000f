using System.Diagnostics;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Cli.Benchmarks;

public sealed record MatmulThroughput(string DType, long M, long K, long N, double GflopPerSecond);

public sealed record ForwardThroughput(string DType, int PromptTokens, double PrefillSeconds, double PrefillTokensPerSecond,
    double PrefillGflopPerSecond, double PrefillFractionOfMatmul, int DecodeTokens, double DecodeTokensPerSecond,
    double DecodeGflopPerSecond, double DecodeFractionOfMatmul, double DecodeWeightGigabytesPerSecond);

public sealed record RuntimeBenchmarkResult(string Shape, string Device, int Threads, long Parameters,
    IReadOnlyList<MatmulThroughput> Matmul, IReadOnlyList<ForwardThroughput> Forward);

/// <summary>
/// Prefill and decode speed of a model with random weights of a real shape, next to the machine's own matrix-multiply
/// speed at the model's layer shape, so the fraction of the hardware that the forward pass reaches is visible.
/// </summary>
public static class RuntimeBenchmark
{
    public static RuntimeBenchmarkResult Run(string shapeName, string device, IReadOnlyList<string> dtypes, int promptTokens,
        int decodeTokens, TextWriter log, CancellationToken cancellationToken)
    {
        var shape = ModelShapes.Get(shapeName);
        var matmul = new List<MatmulThroughput>();
        var forward = new List<ForwardThroughput>();
        foreach (var dtypeName in dtypes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = ComputeTarget.Parse(device, dtypeName);
            var mm = MeasureMatmul(target, promptTokens, shape.HiddenSize, shape.IntermediateSize);
            matmul.Add(mm);
            log.WriteLine($"[{dtypeName}] matmul {mm.M}×{mm.K}×{mm.N}: {mm.GflopPerSecond:F1} GFLOP/s");

            log.WriteLine($"[{dtypeName}] building {shapeName} with random weights ({shape.ParameterCount():N0} parameters)…");
            using var model = ModelLoader.Create(shape, new RandomWeightSource(0, target.DType, target.Device), target);
            var f = MeasureForward(model, mm.GflopPerSecond, promptTokens, decodeTokens, cancellationToken);
            forward.Add(f);
            log.WriteLine($"[{dtypeName}] prefill {f.PrefillTokensPerSecond:F1} tok/s ({f.PrefillFractionOfMatmul:P0} of matmul speed), " +
                          $"decode {f.DecodeTokensPerSecond:F2} tok/s ({f.DecodeWeightGigabytesPerSecond:F1} GB/s of weights)");
        }
        return new RuntimeBenchmarkResult(shapeName, device, get_num_threads(), shape.ParameterCount(), matmul, forward);
    }

    public static MatmulThroughput MeasureMatmul(ComputeTarget target, long m, long k, long n)
    {
        using var scope = NewDisposeScope();
        var a = randn(m, k).to(target.DType, target.Device);
        var b = randn(k, n).to(target.DType, target.Device);
        double seconds = Stopwatches.SecondsPerRun(() =>
        {
            using var c = a.matmul(b);
            Synchronize(target.Device);
        });
        return new MatmulThroughput(ComputeTarget.NameOf(target.DType), m, k, n, 2.0 * m * k * n / seconds / 1e9);
    }

    private static ForwardThroughput MeasureForward(CausalLanguageModel model, double matmulGflops, int promptTokens,
        int decodeTokens, CancellationToken cancellationToken)
    {
        var config = model.Config;
        var device = model.Target.Device;
        using var noGrad = no_grad();
        using var prompt = randint(3, config.VocabSize, [1, promptTokens], ScalarType.Int64, device);

        // Warm-up pass, then a timed prefill.
        using (var warm = model.Forward(prompt.narrow(1, 0, Math.Min(16, promptTokens)), lastTokenOnly: true)) Synchronize(device);
        using var cache = new KvCache(config, 1, promptTokens + decodeTokens, model.Target.DType, device);
        var watch = Stopwatch.StartNew();
        var logits = model.Forward(prompt, cache: cache, lastTokenOnly: true);
        Synchronize(device);
        double prefillSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        for (int i = 0; i < decodeTokens; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var next = logits.argmax(-1);
            logits.Dispose();
            logits = model.Forward(next, cache: cache, lastTokenOnly: true);
        }
        Synchronize(device);
        double decodeSeconds = watch.Elapsed.TotalSeconds;
        logits.Dispose();

        double prefillFlops = ForwardFlops(config, promptTokens, averageContext: (promptTokens + 1) / 2.0, headOnLastOnly: true);
        double decodeFlops = ForwardFlops(config, decodeTokens, averageContext: promptTokens + decodeTokens / 2.0, headOnLastOnly: false);
        double weightBytes = model.NamedWeights().Sum(p => p.Weight.NumberOfElements * p.Weight.ElementSize);
        double decodeTokensPerSecond = decodeTokens / decodeSeconds;
        return new ForwardThroughput(ComputeTarget.NameOf(model.Target.DType), promptTokens, prefillSeconds,
            promptTokens / prefillSeconds, prefillFlops / prefillSeconds / 1e9, prefillFlops / prefillSeconds / 1e9 / matmulGflops,
            decodeTokens, decodeTokensPerSecond, decodeFlops / decodeSeconds / 1e9,
            decodeFlops / decodeSeconds / 1e9 / matmulGflops, weightBytes * decodeTokensPerSecond / 1e9);
    }

    /// <summary>Multiply-adds ×2 of the projections, attention scores and the output head for <paramref name="tokens"/> tokens.</summary>
    public static double ForwardFlops(ModelConfig c, int tokens, double averageContext, bool headOnLastOnly)
    {
        double perTokenLayers = c.NumLayers * (
            2.0 * c.HiddenSize * (c.NumHeads + 2 * c.NumKeyValueHeads) * c.HeadDim // q, k, v
            + 2.0 * c.NumHeads * c.HeadDim * c.HiddenSize                          // o
            + 2.0 * 3 * c.HiddenSize * c.IntermediateSize                          // gate, up, down
            + 2.0 * 2 * c.NumHeads * c.HeadDim * averageContext);                  // QKᵀ and weights·V
        double head = 2.0 * c.HiddenSize * c.VocabSize * (headOnLastOnly ? 1 : tokens);
        return perTokenLayers * tokens + head;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }
}
