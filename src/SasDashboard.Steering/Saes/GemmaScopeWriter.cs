using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// Writes SAEs as Gemma Scope <c>params.npz</c> (<c>W_enc</c>, <c>W_dec</c>, <c>b_enc</c>, <c>b_dec</c>, <c>threshold</c>,
/// float32), so that the project's own SAEs load through the same path as Gemma Scope's.
/// </summary>
public static class GemmaScopeWriter
{
    /// <summary>Writes <paramref name="sae"/> to <paramref name="path"/> (an .npz file, or a folder to hold params.npz) and
    /// returns the file written. A ReLU SAE is written as JumpReLU with zero thresholds, and <c>b_dec</c> subtraction
    /// from the input is folded into <c>b_enc</c>; TopK and run-time normalisation have no Gemma Scope form.</summary>
    public static string Save(string path, SparseAutoencoder sae, NpzCompression compression = NpzCompression.Stored)
    {
        if (sae.Activation == SaeActivation.TopK)
            throw new NotSupportedException($"Gemma Scope params.npz cannot express TopK (k={sae.K}); {sae.Info.SourcePath} is TopK");
        if (sae.Normalization != SaeNormalization.None)
            throw new NotSupportedException(
                $"Gemma Scope params.npz cannot express the {sae.Normalization.ConfigName()} input normalisation of {sae.Info.SourcePath}");
        using var scope = NewDisposeScope();
        // (x − b_dec) @ W_enc + b_enc = x @ W_enc + (b_enc − b_dec @ W_enc).
        var encoderBias = sae.SubtractDecoderBiasFromInput
            ? sae.EncoderBias.to(ScalarType.Float32) - sae.DecoderBias.to(ScalarType.Float32).matmul(sae.EncoderWeight.to(ScalarType.Float32))
            : sae.EncoderBias;
        return Save(path, new SaeWeights(sae.EncoderWeight, encoderBias, sae.DecoderWeight, sae.DecoderBias, sae.Threshold), compression);
    }

    /// <summary>Writes raw weights (<c>threshold</c> null: zeros, i.e. ReLU) and returns the file written.</summary>
    public static string Save(string path, SaeWeights weights, NpzCompression compression = NpzCompression.Stored)
    {
        var file = path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? path : Path.Combine(path, GemmaScopeLoader.FileName);
        using var scope = NewDisposeScope();
        var threshold = weights.Threshold ?? zeros(weights.FeatureCount, ScalarType.Float32);
        NpzWriter.Write(file,
        [
            new("W_enc", weights.EncoderWeight.to(ScalarType.Float32)),
            new("W_dec", weights.DecoderWeight.to(ScalarType.Float32)),
            new("b_enc", weights.EncoderBias.to(ScalarType.Float32)),
            new("b_dec", weights.DecoderBias.to(ScalarType.Float32)),
            new("threshold", threshold.to(ScalarType.Float32)),
        ], compression);
        return file;
    }
}
