using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using SasDashboard.Testing;
using SasDashboard.Steering.Tests.Saes;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Steering;

public sealed class SparseFeatureEditTests
{
    private const int InputSize = 16, FeatureCount = 64;

    public static TheoryData<SaeActivation, SaeNormalization, bool> Variants()
    {
        var data = new TheoryData<SaeActivation, SaeNormalization, bool>();
        foreach (var activation in new[] { SaeActivation.Relu, SaeActivation.JumpRelu, SaeActivation.TopK })
        foreach (var normalization in new[] { SaeNormalization.None, SaeNormalization.ConstantNormRescale, SaeNormalization.LayerNorm })
        foreach (var subtract in new[] { false, true })
            data.Add(activation, normalization, subtract);
        return data;
    }

    private static SparseAutoencoder Sae(SaeActivation activation, SaeNormalization normalization, bool subtractDecoderBias)
    {
        var tensors = SaeFixtures.RandomTensors(7, InputSize, FeatureCount);
        var sae = new SparseAutoencoder(SaeFixtures.WeightsOf(tensors, activation == SaeActivation.JumpRelu),
            new SaeArchitecture(activation, activation == SaeActivation.TopK ? 12 : null, subtractDecoderBias, normalization),
            SaeFixtures.TestOrigin);
        SaeFixtures.DisposeAll(tensors);
        return sae;
    }

    /// <summary><c>a' = dec(σ(enc(a) + λv)) + (a − dec(enc(a)))</c> with full-width encode and decode.</summary>
    private static Tensor FullFormula(SparseAutoencoder sae, Tensor a, Tensor v)
    {
        using var scope = NewDisposeScope();
        var encoding = sae.Encode(a);
        var steered = sae.Activate(encoding.Features + v);
        var result = sae.Decode(steered, encoding.Shift, encoding.Scale) + (a - sae.Decode(encoding));
        return result.MoveToOuterDisposeScope();
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Shortcut_EqualsTheFullFormula(SaeActivation activation, SaeNormalization normalization, bool subtractDecoderBias)
    {
        using var sae = Sae(activation, normalization, subtractDecoderBias);
        using var a = SaeFixtures.RandomInputs(3, 2, 5, InputSize);
        // A push on a few features, positive and negative, strong enough to cross thresholds both ways.
        var values = new Dictionary<long, double> { [3] = 1.5, [10] = -2.0, [41] = 0.7, [63] = 3.0 };
        using var v = zeros(FeatureCount);
        foreach (var (index, value) in values) v[index] = value;

        using var edit = new SparseFeatureEdit(sae, values);
        using var delta = edit.Delta(a, rowMultipliers: null);
        using var shortcut = a + delta;
        using var full = FullFormula(sae, a, v);
        TensorAssert.Close(full, shortcut, 1e-4);
    }

    [Fact]
    public void ZeroStrength_ChangesNothing()
    {
        using var sae = Sae(SaeActivation.JumpRelu, SaeNormalization.None, false);
        using var a = SaeFixtures.RandomInputs(4, 3, InputSize);
        using var edit = new SparseFeatureEdit(sae, new Dictionary<long, double> { [5] = 0.0, [9] = 0.0 });
        using var delta = edit.Delta(a, null);
        Assert.Equal(0, delta.abs().max().item<float>());
    }

    [Fact]
    public void RowMultipliers_ScaleThePushPerRow()
    {
        using var sae = Sae(SaeActivation.Relu, SaeNormalization.None, false);
        using var one = SaeFixtures.RandomInputs(5, 1, 4, InputSize);
        using var batch = one.expand(3, 4, InputSize).contiguous();
        var values = new Dictionary<long, double> { [1] = 1.0, [2] = -1.0 };
        using var edit = new SparseFeatureEdit(sae, values);
        using var multipliers = tensor(new float[] { 0, 1, 2.5f });
        using var together = edit.Delta(batch, multipliers);
        for (int row = 0; row < 3; row++)
        {
            float m = new[] { 0f, 1f, 2.5f }[row];
            using var alone = new SparseFeatureEdit(sae, values.ToDictionary(kv => kv.Key, kv => kv.Value * m));
            using var expected = alone.Delta(one, null);
            TensorAssert.Close(expected[0], together[row], 1e-5);
        }
    }
}
