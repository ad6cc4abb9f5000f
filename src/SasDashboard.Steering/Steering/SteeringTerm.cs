using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Steering;

/// <summary>One part of a steering composition, applied after block <see cref="Layer"/> with strength λ.</summary>
public abstract record SteeringTerm(int Layer, double Strength);

/// <summary>Dense steering: <c>a ← a + λ·v</c>.</summary>
public sealed record DenseTerm(int Layer, Tensor Vector, double Strength) : SteeringTerm(Layer, Strength);

/// <summary>
/// Sparse steering in an SAE's feature space: <c>a ← dec(σ(enc(a) + λ·v)) + (a − dec(enc(a)))</c>, with v non-zero
/// only at <see cref="Indices"/>.
/// </summary>
public sealed record SparseTerm(int Layer, SparseAutoencoder Sae, long[] Indices, float[] Values, double Strength)
    : SteeringTerm(Layer, Strength);

public static class SteeringTerms
{
    /// <summary>The term that applies a saved vector: dense for CAA; sparse in <paramref name="sae"/> for SAS.</summary>
    public static SteeringTerm FromVector(SteeringVector vector, double strength, SparseAutoencoder? sae = null)
    {
        int layer = vector.Provenance.Layer;
        if (vector.Method == SteeringMethod.Caa) return new DenseTerm(layer, vector.Dense, strength);
        if (sae is null)
            throw new ArgumentException($"the SAS vector needs its SAE ({vector.Sae!.Path}) to steer");
        if (sae.FeatureCount != vector.Sae!.FeatureCount)
            throw new ArgumentException(
                $"the SAS vector was built in an SAE of {vector.Sae.FeatureCount} features, but the SAE given has {sae.FeatureCount}");
        return new SparseTerm(layer, sae, vector.FeatureIndices!.data<long>().ToArray(),
            vector.FeatureValues!.data<float>().ToArray(), strength);
    }

    /// <summary>A single SAE feature pushed with <paramref name="strength"/>.</summary>
    public static SparseTerm Feature(int layer, SparseAutoencoder sae, long index, double strength)
    {
        if (index < 0 || index >= sae.FeatureCount)
            throw new ArgumentException($"feature {index} is outside the SAE's {sae.FeatureCount} features");
        return new SparseTerm(layer, sae, [index], [1f], strength);
    }
}
