using SasDashboard.Steering.Saes;
using TorchSharp;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Training;

/// <summary>Hyper-parameters of JumpReLU SAE training.</summary>
/// <param name="Features">Dictionary width.</param>
/// <param name="SparsityCoefficient">Weight of the L0 penalty (per token) against the squared reconstruction error
/// (per token, in units where the mean squared input norm is the input size).</param>
/// <param name="Bandwidth">Width ε of the rectangle kernel in the threshold's straight-through gradient.</param>
public sealed record SaeTrainingOptions(int Features, int Steps, int BatchSize = 1024, double LearningRate = 2e-3,
    double SparsityCoefficient = 0.05, double Bandwidth = 0.05, double InitialThreshold = 0.05, long Seed = 0);

public sealed record SaeTrainingProgress(int Step, int Steps, double Loss, double MeanL0);

/// <summary>
/// Trains a JumpReLU SAE as Gemma Scope's were (Rajamanoharan et al., 2024): reconstruction error plus an L0
/// penalty, thresholds learned through straight-through estimators with a rectangle kernel. Inputs are scaled so the
/// mean squared norm equals the input size, and the scale is folded back into the weights, so the result takes raw
/// residual vectors exactly like a Gemma Scope <c>params.npz</c>.
/// </summary>
public static class SaeTrainer
{
    public static SparseAutoencoder Train(Tensor activations, SaeTrainingOptions options, string origin,
        IProgress<SaeTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        long examples = activations.shape[0];
        int inputSize = (int)activations.shape[1];
        var data = activations.to(ScalarType.Float32).cpu();
        double scale = Math.Sqrt(inputSize) / data.norm(1).mean().item<float>();
        var generator = new Generator((ulong)options.Seed, CPU);
        var random = new Random((int)options.Seed);

        using var decoder = nn.Parameter(DecoderInit(options.Features, inputSize, generator));
        using var encoder = nn.Parameter(decoder.detach().t().contiguous().clone());
        using var encoderBias = nn.Parameter(zeros(options.Features));
        using var decoderBias = nn.Parameter((data.mean([0]) * scale).clone());
        using var logThreshold = nn.Parameter(full(options.Features, Math.Log(options.InitialThreshold)));
        var parameters = new[] { encoder, encoderBias, decoder, decoderBias, logThreshold };
        using var optimizer = optim.Adam(parameters, options.LearningRate);

        for (int step = 0; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = tensor(Enumerable.Range(0, options.BatchSize).Select(_ => random.NextInt64(examples)).ToArray());
            var x = data.index_select(0, rows) * scale;
            var threshold = logThreshold.exp();
            var z = x.matmul(encoder) + encoderBias;
            var gate = (z > threshold).to(ScalarType.Float32);
            // Straight-through: the jump's gradient reaches the threshold only for pre-activations within ε/2 of it.
            var nearJump = ((z - threshold).abs() < options.Bandwidth / 2).to(ScalarType.Float32).detach() / options.Bandwidth;
            var features = z * gate + StraightThrough(threshold, -threshold.detach() * nearJump);
            var reconstruction = features.matmul(decoder) + decoderBias;
            var l0 = gate.sum(1) + StraightThrough(threshold, -nearJump).sum(1);
            var squaredError = (reconstruction - x).square().sum(1);
            var loss = (squaredError + options.SparsityCoefficient * l0).mean();

            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            using (no_grad()) decoder.div_(decoder.norm(1, keepdim: true).clamp_min(1e-6)); // unit-norm dictionary rows
            if (progress is not null && (step % 50 == 0 || step == options.Steps - 1))
                progress.Report(new SaeTrainingProgress(step + 1, options.Steps, loss.item<float>(), gate.sum(1).mean().item<float>()));
        }

        using var noGrad = no_grad();
        var weights = new SaeWeights(
            (encoder * scale).detach().clone(), encoderBias.detach().clone(),
            (decoder / scale).detach().clone(), (decoderBias / scale).detach().clone(), logThreshold.exp().detach().clone());
        return new SparseAutoencoder(weights, new SaeArchitecture(SaeActivation.JumpRelu), new SaeOrigin("gemma-scope", origin));
    }

    /// <summary>Zero in value; gradient <paramref name="gradient"/> with respect to <paramref name="parameter"/>.</summary>
    private static Tensor StraightThrough(Tensor parameter, Tensor gradient) =>
        parameter * gradient.detach() - (parameter * gradient).detach();

    private static Tensor DecoderInit(int features, int inputSize, Generator generator)
    {
        var rows = randn([features, inputSize], generator: generator);
        return rows / rows.norm(1, keepdim: true);
    }
}

/// <summary>How well an SAE reconstructs held-out activations.</summary>
public sealed record SaeQuality(int Features, double FractionOfVarianceExplained, double MeanL0, int DeadFeatures,
    double DeadFraction);

public static class SaeEvaluation
{
    public static SaeQuality Measure(SparseAutoencoder sae, Tensor activations)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = activations.to(sae.DType, sae.Device);
        var encoding = sae.Encode(x);
        var reconstruction = sae.Decode(encoding);
        double residual = (x - reconstruction).square().sum().item<float>();
        double variance = (x - x.mean([0])).square().sum().item<float>();
        var active = encoding.Features > 0;
        int dead = (int)(active.any(0).logical_not().sum().item<long>());
        return new SaeQuality(sae.FeatureCount, 1 - residual / variance, active.sum(1).to(ScalarType.Float32).mean().item<float>(),
            dead, (double)dead / sae.FeatureCount);
    }
}
