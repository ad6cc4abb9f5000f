using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Vectors;

/// <summary>The SAS rule on hand-made codes whose answer is worked out by hand.</summary>
public sealed class SasFeatureSelectionTests
{
    // Five features, four examples a side.
    // f0: active in all positive and all negative examples (shared)     → dropped
    // f1: active in 4/4 positive, 1/4 negative                          → positive-only feature
    // f2: active in 1/4 positive, 4/4 negative                          → negative-only feature
    // f3: active in 2/4 positive (0.5 ≤ τ = 0.7), 0/4 negative           → filtered out by τ
    // f4: never active                                                   → nothing
    private static readonly float[,] Positive =
    {
        { 1, 2, 0, 5, 0 },
        { 1, 4, 0, 5, 0 },
        { 1, 2, 0, 0, 0 },
        { 1, 4, 8, 0, 0 },
    };

    private static readonly float[,] Negative =
    {
        { 3, 0, 1, 0, 0 },
        { 3, 0, 3, 0, 0 },
        { 3, 0, 1, 0, 0 },
        { 3, 4, 3, 0, 0 },
    };

    private static SparseFeatures Select(SasOptions options)
    {
        using var positive = new FeatureStatistics(5);
        using var negative = new FeatureStatistics(5);
        positive.Accumulate(tensor(Positive));
        negative.Accumulate(tensor(Negative));
        return SasFeatureSelection.Select(positive, negative, options);
    }

    [Fact]
    public void DefaultRecipe_KeepsFrequentFeatures_DropsSharedOnes_AndSubtractsMeans()
    {
        var result = Select(new SasOptions(Tau: 0.7));
        Assert.Equal([1L, 2L], result.Indices);
        Assert.Equal([3f, -2f], result.Values); // mean⁺ of f1 = 12/4; −mean⁻ of f2 = −8/4
    }

    [Fact]
    public void KeepingSharedFeatures_SubtractsBothMeansOnThem()
    {
        var result = Select(new SasOptions(Tau: 0.7, DropSharedFeatures: false));
        Assert.Equal([0L, 1L, 2L], result.Indices);
        Assert.Equal([1f - 3f, 3f, -2f], result.Values);
    }

    [Fact]
    public void WithoutTheTauFilter_EveryFeatureActiveOnceCounts()
    {
        // f0, f1, f2 are now active on both sides → dropped as shared; f3 (positive only) stays.
        var result = Select(new SasOptions(FilterByFrequency: false));
        Assert.Equal([3L], result.Indices);
        Assert.Equal([2.5f], result.Values);
    }

    [Fact]
    public void PositiveSideOnly_IgnoresTheNegativeMean()
    {
        var result = Select(new SasOptions(Tau: 0.7, PositiveSideOnly: true));
        Assert.Equal([1L], result.Indices);
        Assert.Equal([3f], result.Values);
    }

    [Fact]
    public void LowerTau_AdmitsLessFrequentFeatures()
    {
        var result = Select(new SasOptions(Tau: 0.4));
        Assert.Equal([1L, 2L, 3L], result.Indices);
        Assert.Equal([3f, -2f, 2.5f], result.Values);
    }

    [Fact]
    public void StatisticsAccumulatedInChunks_EqualOneChunk()
    {
        using var whole = new FeatureStatistics(5);
        using var chunked = new FeatureStatistics(5);
        using var codes = tensor(Positive);
        whole.Accumulate(codes);
        chunked.Accumulate(codes.narrow(0, 0, 1));
        chunked.Accumulate(codes.narrow(0, 1, 3));
        Assert.Equal(whole.ActiveCount.data<long>().ToArray(), chunked.ActiveCount.data<long>().ToArray());
        Assert.Equal(whole.Sum.data<double>().ToArray(), chunked.Sum.data<double>().ToArray());
        Assert.Equal(4, chunked.Examples);
    }

    [Fact]
    public void TauOutsideTheUnitInterval_IsRejected()
    {
        using var side = new FeatureStatistics(5);
        Assert.Throws<ArgumentException>(() => SasFeatureSelection.Select(side, side, new SasOptions(Tau: 1.0)));
    }
}
