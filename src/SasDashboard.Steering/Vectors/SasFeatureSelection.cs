using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>The sparse SAS vector in feature space: which features, with which values.</summary>
public sealed record SparseFeatures(long[] Indices, float[] Values);

/// <summary>
/// SAS's selection rule on the two sides' feature statistics: keep a side's features active in more than τ of its
/// examples, drop those kept on both sides, and subtract the sides' means over the remaining features.
/// </summary>
public static class SasFeatureSelection
{
    public static SparseFeatures Select(FeatureStatistics positive, FeatureStatistics negative, SasOptions options)
    {
        if (options.Tau is < 0 or >= 1) throw new ArgumentException($"τ must be in [0, 1), got {options.Tau}");
        using var scope = NewDisposeScope();
        var keptPositive = Kept(positive, options);
        var keptNegative = Kept(negative, options);
        if (options.DropSharedFeatures)
        {
            var shared = keptPositive.logical_and(keptNegative);
            keptPositive = keptPositive.logical_and(shared.logical_not());
            keptNegative = keptNegative.logical_and(shared.logical_not());
        }
        var vector = positive.Mean() * keptPositive.to(ScalarType.Float64);
        if (!options.PositiveSideOnly) vector = vector - negative.Mean() * keptNegative.to(ScalarType.Float64);

        var indices = vector.nonzero().squeeze(1);
        var values = vector.index_select(0, indices).to(ScalarType.Float32);
        return new SparseFeatures(indices.data<long>().ToArray(), values.data<float>().ToArray());
    }

    private static Tensor Kept(FeatureStatistics side, SasOptions options) => options.FilterByFrequency
        ? side.ActiveFraction() > options.Tau
        : side.ActiveCount > 0;
}
