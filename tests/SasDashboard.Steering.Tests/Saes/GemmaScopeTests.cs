using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tests.Checkpoints;
using static TorchSharp.torch;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Saes;

public sealed class GemmaScopeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>d_model 2, d_sae 3, written by hand as numpy would.</summary>
    private static byte[] HandMadeParams(bool deflate, bool withThreshold = true, long[]? encoderBiasShape = null)
    {
        var members = new List<HandMadeZip.Member>
        {
            new("W_enc.npy", HandMadeNpy.Array("<f4", [2, 3], HandMadeNpy.Float32(1, 0, 2, 0, 1, -1)), deflate),
            new("W_dec.npy", HandMadeNpy.Array("<f4", [3, 2], HandMadeNpy.Float32(1, 0, 0, 2, 1, 1)), deflate),
            new("b_enc.npy", HandMadeNpy.Array("<f4", encoderBiasShape ?? [3], HandMadeNpy.Float32(0, -0.5f, 0.5f, 0)), deflate),
            new("b_dec.npy", HandMadeNpy.Array("<f4", [2], HandMadeNpy.Float32(0.1f, -0.1f)), deflate),
        };
        if (withThreshold)
            members.Add(new("threshold.npy", HandMadeNpy.Array("<f4", [3], HandMadeNpy.Float32(0.5f, 0.25f, 1)), deflate));
        return HandMadeZip.Build([.. members]);
    }

    private string WriteParams(byte[] bytes, string relativeFolder = "sae")
    {
        var folder = _directory.File(relativeFolder);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "params.npz"), bytes);
        return folder;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void JumpRelu_encode_and_decode_match_hand_computed_numbers(bool deflate)
    {
        var folder = WriteParams(HandMadeParams(deflate));
        using var sae = SaeLoader.Load(folder, ComputeTarget.Cpu);
        using var x = tensor(new[] { 1f, 2, 0.5f, -1 }, [2, 2]);

        using var encoding = sae.Encode(x);
        using var reconstruction = sae.Decode(encoding);

        // z = x @ W_enc + b_enc: [1, 1.5, 0.5] and [0.5, -1.5, 2.5]; f = z · (z > [0.5, 0.25, 1]) (0.5 is not > 0.5).
        TensorAssert.Equal([1, 1.5f, 0, 0, 0, 2.5f], encoding.Features);
        // x̂ = f @ W_dec + b_dec: [1, 3] + [0.1, -0.1] and [2.5, 2.5] + [0.1, -0.1].
        TensorAssert.Close(tensor(new[] { 1.1f, 2.9f, 2.6f, 2.4f }, [2, 2]), reconstruction, 1e-6);
        Assert.Equal(new SaeInfo("gemma-scope", Path.Combine(folder, "params.npz"), 2, 3, SaeActivation.JumpRelu, null, null, null,
            ScalarType.Float32, "none"), sae.Info);
        Assert.False(sae.SubtractDecoderBiasFromInput);
    }

    [Theory]
    [InlineData(NpzCompression.Stored)]
    [InlineData(NpzCompression.Deflated)]
    public void Writer_output_loads_back_to_the_same_weights(NpzCompression compression)
    {
        var tensors = SaeFixtures.RandomTensors(11, 6, 10);
        using var original = new SparseAutoencoder(SaeFixtures.WeightsOf(tensors, withThreshold: true),
            new SaeArchitecture(SaeActivation.JumpRelu), SaeFixtures.TestOrigin);
        SaeFixtures.DisposeAll(tensors);

        var file = GemmaScopeWriter.Save(_directory.File("mine"), original, compression);
        using var loaded = SaeLoader.Load(file, ComputeTarget.Cpu);

        Assert.Equal(_directory.File("mine/params.npz"), file);
        using var npz = NpzArchive.Open(file);
        Assert.Equal(["W_dec", "W_enc", "b_dec", "b_enc", "threshold"], npz.Names.Order(StringComparer.Ordinal));
        TensorAssert.Close(original.EncoderWeight, loaded.EncoderWeight, 0);
        TensorAssert.Close(original.DecoderWeight, loaded.DecoderWeight, 0);
        TensorAssert.Close(original.EncoderBias, loaded.EncoderBias, 0);
        TensorAssert.Close(original.DecoderBias, loaded.DecoderBias, 0);
        TensorAssert.Close(original.Threshold!, loaded.Threshold!, 0);
    }

    [Fact]
    public void Writer_folds_decoder_bias_subtraction_and_relu_into_the_gemma_scope_form()
    {
        var tensors = SaeFixtures.RandomTensors(12, 6, 10);
        using var original = new SparseAutoencoder(SaeFixtures.WeightsOf(tensors, withThreshold: false),
            new SaeArchitecture(SaeActivation.Relu, SubtractDecoderBiasFromInput: true), SaeFixtures.TestOrigin);
        SaeFixtures.DisposeAll(tensors);
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(13, 8, 6);

        using var loaded = SaeLoader.Load(GemmaScopeWriter.Save(_directory.File("relu"), original), ComputeTarget.Cpu);

        Assert.Equal(SaeActivation.JumpRelu, loaded.Activation);
        Assert.False(loaded.SubtractDecoderBiasFromInput);
        var expected = original.Encode(x);
        var actual = loaded.Encode(x);
        Assert.True(expected.Features.count_nonzero().item<long>() > 0);
        TensorAssert.Close(expected.Features, actual.Features, 1e-5);
        TensorAssert.Close(original.Decode(expected), loaded.Decode(actual), 1e-5);
    }

    [Theory]
    [InlineData(SaeActivation.TopK, SaeNormalization.None, "TopK")]
    [InlineData(SaeActivation.Relu, SaeNormalization.LayerNorm, "layer_norm")]
    public void Writer_rejects_what_gemma_scope_cannot_express(SaeActivation activation, SaeNormalization normalization, string named)
    {
        using var sae = new SparseAutoencoder(new SaeWeights(zeros(4, 8), zeros(8), zeros(8, 4), zeros(4), null),
            new SaeArchitecture(activation, activation == SaeActivation.TopK ? 2 : null, Normalization: normalization),
            SaeFixtures.TestOrigin);

        var error = Assert.Throws<NotSupportedException>(() => GemmaScopeWriter.Save(_directory.File("x"), sae));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Release_path_gives_layer_and_hook_and_is_checked_against_the_width()
    {
        var tensors = SaeFixtures.RandomTensors(14, 4, 16384);
        var release = "models--google--gemma-scope-2b-pt-res/snapshots/0123abcd/layer_12/width_16k/average_l0_82";
        using (var weights = SaeFixtures.WeightsOf(tensors, withThreshold: true))
        {
            GemmaScopeWriter.Save(_directory.File(release), weights);
            GemmaScopeWriter.Save(_directory.File("layer_3/width_32k/average_l0_20"), weights);
        }
        SaeFixtures.DisposeAll(tensors);

        using var sae = SaeLoader.Load(_directory.File(release), ComputeTarget.Cpu);
        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("layer_3/width_32k/average_l0_20"), ComputeTarget.Cpu));

        Assert.Equal(12, sae.Info.Layer);
        Assert.Equal("blocks.12.hook_resid_post", sae.Info.HookName);
        Assert.Equal(16384, sae.FeatureCount);
        Assert.Contains("width_32k", error.Message);
        Assert.Contains("16384", error.Message);
    }

    [Fact]
    public void Loads_in_bfloat16_when_the_target_asks_for_it()
    {
        var folder = WriteParams(HandMadeParams(deflate: false));

        using var sae = SaeLoader.Load(folder, new ComputeTarget(CPU, ScalarType.BFloat16));
        using var x = tensor(new[] { 1f, 2 }, [1, 2]);
        using var encoding = sae.Encode(x);

        Assert.Equal(ScalarType.BFloat16, sae.EncoderWeight.dtype);
        Assert.Equal(ScalarType.BFloat16, sae.Threshold!.dtype);
        TensorAssert.Equal([1, 1.5f, 0], encoding.Features);
    }

    [Fact]
    public void A_missing_array_is_named_with_its_file()
    {
        var folder = WriteParams(HandMadeParams(deflate: false, withThreshold: false));

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(folder, ComputeTarget.Cpu));

        Assert.Contains(Path.Combine(folder, "params.npz"), error.Message);
        Assert.Contains("'threshold'", error.Message);
    }

    [Fact]
    public void An_input_size_other_than_the_models_hidden_size_is_rejected_naming_both()
    {
        var folder = WriteParams(HandMadeParams(deflate: false));

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(folder, ComputeTarget.Cpu, expectedInputSize: 2304));

        Assert.Contains("expects d_in=2 but the model's hidden size is 2304", error.Message);
        Assert.Contains(folder, error.Message);
    }

    [Fact]
    public void A_wrong_shape_is_reported_with_name_expected_and_found()
    {
        var folder = WriteParams(HandMadeParams(deflate: false, encoderBiasShape: [4]));

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(folder, ComputeTarget.Cpu));

        Assert.Contains("'b_enc' has shape [4], expected [3]", error.Message);
    }

    [Fact]
    public void A_truncated_params_file_is_rejected()
    {
        var bytes = HandMadeParams(deflate: false);
        var folder = WriteParams(bytes[..(bytes.Length - 60)]);

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(folder, ComputeTarget.Cpu));

        Assert.Contains("params.npz", error.Message);
    }
}
