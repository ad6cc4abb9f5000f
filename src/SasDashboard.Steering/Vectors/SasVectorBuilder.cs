using SasDashboard.Steering.Saes;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>
/// Sparse Activation Steering vectors: encode both sides' activations with the SAE (in chunks, so a wide SAE never
/// holds every example's codes), select features with <see cref="SasFeatureSelection"/>, and record the decoded
/// direction <c>v · W_dec</c>.
/// </summary>
public static class SasVectorBuilder
{
    private const int EncodeChunk = 256;

    public static SteeringVector Build(ContrastiveActivations activations, SparseAutoencoder sae, SasOptions options,
        VectorProvenance provenance, string saePath, CancellationToken cancellationToken = default)
    {
        if (activations.Pairs == 0) throw new ArgumentException("no contrastive pairs to build a vector from");
        if (sae.InputSize != activations.HiddenSize)
            throw new ArgumentException(
                $"SAE {saePath} expects d_in={sae.InputSize} but the activations have hidden size {activations.HiddenSize}");
        using var positive = Statistics(activations.Positive, sae, cancellationToken);
        using var negative = Statistics(activations.Negative, sae, cancellationToken);
        var selected = SasFeatureSelection.Select(positive, negative, options);
        return FromFeatures(selected, sae, options, provenance, saePath);
    }

    /// <summary>A SAS vector with the given features and values (also used for hand-composed feature vectors).</summary>
    public static SteeringVector FromFeatures(SparseFeatures features, SparseAutoencoder sae, SasOptions options,
        VectorProvenance provenance, string saePath)
    {
        using var scope = NewDisposeScope();
        var indices = tensor(features.Indices, ScalarType.Int64);
        var values = tensor(features.Values);
        var decoded = values.to(sae.DType, sae.Device).matmul(sae.DecoderWeight.index_select(0, indices.to(sae.Device)))
            .to(ScalarType.Float32).cpu();
        return new SteeringVector
        {
            Method = SteeringMethod.Sas,
            Provenance = provenance,
            Dense = decoded.MoveToOuterDisposeScope(),
            Sae = new VectorSae(saePath, sae.FeatureCount),
            Sas = options,
            FeatureIndices = indices.MoveToOuterDisposeScope(),
            FeatureValues = values.MoveToOuterDisposeScope(),
        };
    }

    private static FeatureStatistics Statistics(Tensor activations, SparseAutoencoder sae, CancellationToken cancellationToken)
    {
        var statistics = new FeatureStatistics(sae.FeatureCount);
        for (long start = 0; start < activations.shape[0]; start += EncodeChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var chunk = activations.narrow(0, start, Math.Min(EncodeChunk, activations.shape[0] - start)).to(sae.Device);
            statistics.Accumulate(sae.Encode(chunk).Features);
        }
        return statistics;
    }
}
