using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>
/// Per-feature activity counts and sums over one side's SAE codes, accumulated chunk by chunk so that a wide SAE
/// (a million features) never needs all examples' codes in memory at once.
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    public Tensor ActiveCount { get; }
    public Tensor Sum { get; }
    public long Examples { get; private set; }

    public FeatureStatistics(long featureCount)
    {
        ActiveCount = zeros(featureCount, ScalarType.Int64);
        Sum = zeros(featureCount, ScalarType.Float64);
    }

    /// <param name="codes">SAE features <c>[examples, features]</c>; non-zero means active.</param>
    public void Accumulate(Tensor codes)
    {
        using var scope = NewDisposeScope();
        var cpuCodes = codes.cpu();
        ActiveCount.add_((cpuCodes != 0).sum([0], type: ScalarType.Int64));
        Sum.add_(cpuCodes.to(ScalarType.Float64).sum([0]));
        Examples += codes.shape[0];
    }

    /// <summary>Fraction of examples in which each feature is active.</summary>
    public Tensor ActiveFraction() => ActiveCount.to(ScalarType.Float64) / Math.Max(1, Examples);

    /// <summary>Mean code per feature over all examples (inactive examples count as zero).</summary>
    public Tensor Mean() => Sum / Math.Max(1, Examples);

    public void Dispose()
    {
        ActiveCount.Dispose();
        Sum.Dispose();
    }
}
