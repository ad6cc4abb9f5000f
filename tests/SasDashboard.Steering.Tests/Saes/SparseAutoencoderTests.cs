using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tests.Checkpoints;
using static TorchSharp.torch;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Saes;

public sealed class SparseAutoencoderTests
{
    private const int InputSize = 6;
    private const int FeatureCount = 10;

    private static SparseAutoencoder Build(SaeArchitecture architecture, ulong seed = 1)
    {
        var tensors = SaeFixtures.RandomTensors(seed, InputSize, FeatureCount);
        try
        {
            return new SparseAutoencoder(
                SaeFixtures.WeightsOf(tensors, architecture.Activation == SaeActivation.JumpRelu), architecture, SaeFixtures.TestOrigin);
        }
        finally
        {
            SaeFixtures.DisposeAll(tensors);
        }
    }

    public static TheoryData<SaeActivation, bool, SaeNormalization> Variants()
    {
        var data = new TheoryData<SaeActivation, bool, SaeNormalization>();
        foreach (var activation in Enum.GetValues<SaeActivation>())
        foreach (var subtract in new[] { false, true })
        foreach (var normalization in Enum.GetValues<SaeNormalization>())
            data.Add(activation, subtract, normalization);
        return data;
    }

    private static SaeArchitecture ArchitectureOf(SaeActivation activation, bool subtract, SaeNormalization normalization) =>
        new(activation, activation == SaeActivation.TopK ? 3 : null, subtract, normalization);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Pre_activations_and_activations_on_a_feature_subset_equal_the_full_computation_restricted(
        SaeActivation activation, bool subtract, SaeNormalization normalization)
    {
        using var sae = Build(ArchitectureOf(activation, subtract, normalization));
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(7, 4, InputSize);
        var indices = tensor(new long[] { 7, 0, 3, 9 });

        var (shift, scale) = sae.InputTransform(x);
        var normalized = sae.NormalizeInput(x, shift, scale);
        var full = sae.PreActivations(normalized);
        using var slice = sae.Slice(indices);
        var subset = sae.PreActivations(normalized, slice);

        TensorAssert.Close(full.index_select(1, indices), subset, 1e-6);
        TensorAssert.Close(sae.Activate(full).index_select(1, indices), sae.Activate(subset, slice), 1e-6);
        TensorAssert.Close(sae.DecoderWeight.index_select(0, indices), slice.DecoderRows, 0);
        if (activation != SaeActivation.TopK)
            TensorAssert.Close(sae.Encode(x).Features.index_select(1, indices), sae.Activate(subset, slice), 1e-6);
    }

    [Fact]
    public void JumpRelu_keeps_pre_activations_strictly_above_their_threshold()
    {
        using var sae = new SparseAutoencoder(
            new SaeWeights(eye(3), zeros(3), eye(3), zeros(3), tensor(new[] { 0.5f, 0.5f, -1f })),
            new SaeArchitecture(SaeActivation.JumpRelu), SaeFixtures.TestOrigin);
        using var z = tensor(new[] { 0.5f, 0.75f, -0.5f });

        using var features = sae.Activate(z);

        // 0.5 is not above 0.5; -0.5 is above -1 but JumpReLU never gives negative features.
        TensorAssert.Equal([0, 0.75f, 0], features);
    }

    [Fact]
    public void TopK_keeps_the_k_largest_features_of_each_token_after_relu()
    {
        using var sae = new SparseAutoencoder(
            new SaeWeights(eye(4), zeros(4), eye(4), zeros(4), null), new SaeArchitecture(SaeActivation.TopK, K: 2),
            SaeFixtures.TestOrigin);
        using var x = tensor(new[] { 0.1f, 3f, -2f, 2f, -1f, -2f, 0.5f, -3f }, [2, 4]);

        using var encoding = sae.Encode(x);
        using var elementwise = sae.Activate(x);

        TensorAssert.Equal([0, 3, 0, 2, 0, 0, 0.5f, 0], encoding.Features);
        TensorAssert.Equal([0.1f, 3, 0, 2, 0, 0, 0.5f, 0], elementwise);
    }

    [Fact]
    public void Layer_norm_maps_each_token_to_zero_mean_and_unit_unbiased_std()
    {
        using var sae = Build(new SaeArchitecture(SaeActivation.Relu, Normalization: SaeNormalization.LayerNorm));
        using var x = tensor(new[] { 1f, 2, 3, 4, 5, 9, -2, 0, 0, 0, 0, 2 }, [2, 6]);

        var (shift, scale) = sae.InputTransform(x);
        using (shift)
        using (scale)
        {
            // Token 0: mean 4, unbiased variance (9+4+1+0+1+25)/5 = 8; token 1: mean 0, variance 8/5.
            TensorAssert.Close(tensor(new[] { 4f, 0 }, [2, 1]), shift);
            TensorAssert.Close(tensor(new[] { 1 / (Math.Sqrt(8) + 1e-5), 1 / (Math.Sqrt(1.6) + 1e-5) }, [2, 1]), scale);
        }
    }

    [Fact]
    public void Constant_norm_rescale_scales_each_token_to_norm_sqrt_d_in()
    {
        using var sae = Build(new SaeArchitecture(SaeActivation.Relu, Normalization: SaeNormalization.ConstantNormRescale));
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(3, 5, InputSize);

        var (shift, scale) = sae.InputTransform(x);
        var normalized = sae.NormalizeInput(x, shift, scale);

        TensorAssert.Close(zeros(5, 1), shift);
        TensorAssert.Close(full([5], Math.Sqrt(InputSize)), normalized.norm(-1), 1e-5);
    }

    [Theory]
    [InlineData(SaeNormalization.None)]
    [InlineData(SaeNormalization.ConstantNormRescale)]
    [InlineData(SaeNormalization.LayerNorm)]
    public void Decode_applies_the_decoder_then_the_inverse_input_map(SaeNormalization normalization)
    {
        using var sae = Build(new SaeArchitecture(SaeActivation.Relu, Normalization: normalization));
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(5, 3, InputSize);

        var encoding = sae.Encode(x);
        var decoded = sae.Decode(encoding);

        var expected = (encoding.Features.matmul(sae.DecoderWeight) + sae.DecoderBias) / encoding.Scale + encoding.Shift;
        TensorAssert.Close(expected, decoded, 1e-5);
    }

    [Fact]
    public void Encode_and_decode_keep_leading_batch_dimensions()
    {
        using var sae = Build(new SaeArchitecture(SaeActivation.JumpRelu, Normalization: SaeNormalization.LayerNorm));
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(2, 2, 3, InputSize);

        var encoding = sae.Encode(x);

        Assert.Equal([2L, 3L, FeatureCount], encoding.Features.shape);
        Assert.Equal([2L, 3L, 1L], encoding.Scale.shape);
        Assert.Equal([2L, 3L, InputSize], sae.Decode(encoding).shape);
        TensorAssert.Close(sae.Encode(x.reshape(6, InputSize)).Features.reshape(2, 3, FeatureCount), encoding.Features, 1e-6);
    }

    [Fact]
    public void Bfloat16_saes_compute_in_bfloat16_and_agree_with_float32()
    {
        using var sae32 = Build(new SaeArchitecture(SaeActivation.Relu, SubtractDecoderBiasFromInput: true));
        var tensors = SaeFixtures.RandomTensors(1, InputSize, FeatureCount);
        using var weights16 = SaeFixtures.WeightsOf(tensors, withThreshold: false);
        SaeFixtures.DisposeAll(tensors);
        using var sae16 = new SparseAutoencoder(
            new SaeWeights(weights16.EncoderWeight.bfloat16(), weights16.EncoderBias.bfloat16(), weights16.DecoderWeight.bfloat16(),
                weights16.DecoderBias.bfloat16(), null),
            new SaeArchitecture(SaeActivation.Relu, SubtractDecoderBiasFromInput: true), SaeFixtures.TestOrigin);
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(4, 3, InputSize);

        var features16 = sae16.Encode(x).Features;

        Assert.Equal(ScalarType.BFloat16, features16.dtype);
        Assert.Equal(ScalarType.BFloat16, sae16.Info.DType);
        TensorAssert.Close(sae32.Encode(x).Features, features16, 0.05);
    }

    [Fact]
    public void Rejects_weights_of_inconsistent_shapes_naming_the_tensor()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new SparseAutoencoder(new SaeWeights(zeros(4, 8), zeros(8), zeros(8, 5), zeros(4), null),
                new SaeArchitecture(SaeActivation.Relu), SaeFixtures.TestOrigin));

        Assert.Contains("W_dec", error.Message);
        Assert.Contains("[8, 5]", error.Message);
        Assert.Contains("[8, 4]", error.Message);
    }

    [Fact]
    public void Requires_a_threshold_for_jumprelu_and_k_for_topk()
    {
        Assert.Contains("threshold", Assert.Throws<ArgumentException>(() =>
            new SparseAutoencoder(new SaeWeights(zeros(4, 8), zeros(8), zeros(8, 4), zeros(4), null),
                new SaeArchitecture(SaeActivation.JumpRelu), SaeFixtures.TestOrigin)).Message);
        Assert.Contains("K", Assert.Throws<ArgumentException>(() =>
            new SparseAutoencoder(new SaeWeights(zeros(4, 8), zeros(8), zeros(8, 4), zeros(4), null),
                new SaeArchitecture(SaeActivation.TopK, K: 9), SaeFixtures.TestOrigin)).Message);
    }
}
