using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

public enum SteeringMethod
{
    /// <summary>Contrastive Activation Addition: mean difference of raw residual activations.</summary>
    Caa,
    /// <summary>Sparse Activation Steering: a sparse difference of SAE feature means.</summary>
    Sas,
}

/// <summary>The SAS recipe's switches (each can be turned off for the paper's ablations).</summary>
/// <param name="Tau">A feature is kept on a side when it is active in more than this fraction of that side's examples.</param>
/// <param name="FilterByFrequency">Apply the τ filter; off keeps every feature active at least once.</param>
/// <param name="DropSharedFeatures">Drop features kept on both sides.</param>
/// <param name="PositiveSideOnly">Use only the positive side's mean (no subtraction).</param>
public sealed record SasOptions(double Tau = 0.7, bool FilterByFrequency = true, bool DropSharedFeatures = true,
    bool PositiveSideOnly = false);

/// <summary>Where a vector came from: enough to reproduce it and to refuse using it on the wrong model or layer.</summary>
public sealed record VectorProvenance(string Model, int Layer, int HiddenSize, string DatasetHash, int Pairs,
    string Template, string? Behavior = null, string? Dataset = null);

/// <summary>The SAE a SAS vector lives in.</summary>
public sealed record VectorSae(string Path, int FeatureCount);

/// <summary>
/// A steering vector. CAA: <see cref="Dense"/> is the vector. SAS: the vector is sparse in SAE feature space
/// (<see cref="FeatureIndices"/>, <see cref="FeatureValues"/>); <see cref="Dense"/> holds its decoded direction
/// <c>v · W_dec</c>, for inspection and norm matching.
/// </summary>
public sealed class SteeringVector : IDisposable
{
    public required SteeringMethod Method { get; init; }
    public required VectorProvenance Provenance { get; init; }
    public required Tensor Dense { get; init; }
    public VectorSae? Sae { get; init; }
    public SasOptions? Sas { get; init; }
    public Tensor? FeatureIndices { get; init; }
    public Tensor? FeatureValues { get; init; }

    /// <summary>Non-zero entries: features for SAS, dimensions for CAA.</summary>
    public int L0 => Method == SteeringMethod.Sas
        ? (int)FeatureIndices!.shape[0]
        : (int)Dense.count_nonzero().item<long>();

    /// <summary>Euclidean norm of the (decoded) vector in the residual stream.</summary>
    public double Norm => Dense.norm().item<float>();

    /// <summary>The largest features by magnitude (SAS), or dimensions (CAA).</summary>
    public IReadOnlyList<FeatureValue> TopFeatures(int count)
    {
        using var scope = NewDisposeScope();
        var (indices, values) = Method == SteeringMethod.Sas
            ? (FeatureIndices!, FeatureValues!)
            : (arange(Dense.shape[0], ScalarType.Int64), Dense);
        var order = values.abs().argsort(descending: true).narrow(0, 0, Math.Min(count, values.shape[0]));
        var chosenIndices = indices.index_select(0, order).cpu().data<long>().ToArray();
        var chosenValues = values.index_select(0, order).to(ScalarType.Float32).cpu().data<float>().ToArray();
        return chosenIndices.Zip(chosenValues, (i, v) => new FeatureValue(i, v)).ToArray();
    }

    public void Dispose()
    {
        Dense.Dispose();
        FeatureIndices?.Dispose();
        FeatureValues?.Dispose();
    }
}

public sealed record FeatureValue(long Index, float Value);
