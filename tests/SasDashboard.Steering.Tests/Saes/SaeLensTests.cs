using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tests.Checkpoints;
using static TorchSharp.torch;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Saes;

public sealed class SaeLensTests : IDisposable
{
    private const int InputSize = 6;
    private const int FeatureCount = 12;
    private const int K = 4;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Dictionary<string, object?> Config(string architecture, bool applyBDec, object? normalization = null) => new()
    {
        ["architecture"] = architecture, ["d_in"] = InputSize, ["d_sae"] = FeatureCount, ["dtype"] = "float32",
        ["apply_b_dec_to_input"] = applyBDec, ["normalize_activations"] = normalization ?? "none",
        ["k"] = architecture == "topk" ? K : null,
        ["meta"] = new { hook_name = "blocks.5.hook_resid_post", hook_layer = 5, sae_lens_version = "6.12.1" },
    };

    private static Dictionary<string, Tensor> FileTensors(string architecture, ulong seed)
    {
        var tensors = SaeFixtures.RandomTensors(seed, InputSize, FeatureCount);
        if (architecture != "jumprelu" && tensors.Remove("threshold", out var threshold)) threshold.Dispose();
        if (architecture == "gated")
        {
            var generator = new Generator(seed + 100);
            tensors["b_gate"] = randn([FeatureCount], generator: generator).mul_(0.3);
            tensors["b_mag"] = randn([FeatureCount], generator: generator).mul_(0.3);
            tensors["r_mag"] = randn([FeatureCount], generator: generator).mul_(0.3);
            if (tensors.Remove("b_enc", out var encoderBias)) encoderBias.Dispose();
        }
        return tensors;
    }

    private void AssertMatchesReference(string architecture, bool applyBDec, string normalization, double factor = 1)
    {
        var tensors = FileTensors(architecture, 21);
        var folder = _directory.File($"{architecture}-{applyBDec}-{normalization}");
        var config = Config(architecture, applyBDec, normalization);
        if (normalization == "expected_average_only_in") config["norm_scaling_factor"] = factor;
        SaeFixtures.WriteSaeLens(folder, config, tensors);
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(22, 16, InputSize);

        using var sae = SaeLoader.Load(folder, ComputeTarget.Cpu, expectedInputSize: InputSize);
        var encoding = sae.Encode(x);
        var reconstruction = sae.Decode(encoding);
        var expected = SaeLensReference.Run(x, tensors, architecture, K, applyBDec, normalization, factor);

        long active = expected.Features.count_nonzero().item<long>();
        Assert.InRange(active, 1, x.shape[0] * FeatureCount - 1);
        TensorAssert.Close(expected.Features, encoding.Features, 1e-5);
        // SAELens undoes layer_norm with std rather than std + 1e-5; the two differ by about 1e-5 relative.
        TensorAssert.Close(expected.Reconstruction, reconstruction, normalization == "layer_norm" ? 1e-4 : 1e-5);
        SaeFixtures.DisposeAll(tensors);
    }

    [Theory]
    [InlineData("standard", false)]
    [InlineData("standard", true)]
    [InlineData("jumprelu", false)]
    [InlineData("jumprelu", true)]
    [InlineData("topk", false)]
    [InlineData("topk", true)]
    [InlineData("gated", false)]
    [InlineData("gated", true)]
    public void Architectures_encode_and_decode_as_saelens_does(string architecture, bool applyBDec) =>
        AssertMatchesReference(architecture, applyBDec, "none");

    [Theory]
    [InlineData("standard", "constant_norm_rescale")]
    [InlineData("jumprelu", "constant_norm_rescale")]
    [InlineData("standard", "layer_norm")]
    [InlineData("topk", "layer_norm")]
    [InlineData("jumprelu", "expected_average_only_in")]
    [InlineData("gated", "expected_average_only_in")]
    public void Normalisations_encode_and_decode_as_saelens_does(string architecture, string normalization) =>
        AssertMatchesReference(architecture, applyBDec: true, normalization, factor: 0.37);

    [Fact]
    public void Expected_average_normalisation_is_folded_into_the_weights()
    {
        var tensors = FileTensors("jumprelu", 23);
        var config = Config("jumprelu", applyBDec: true, "expected_average_only_in");
        config["norm_scaling_factor"] = 4.0;
        SaeFixtures.WriteSaeLens(_directory.File("folded"), config, tensors);

        using var sae = SaeLoader.Load(_directory.File("folded"), ComputeTarget.Cpu);

        Assert.Equal(SaeNormalization.None, sae.Normalization);
        Assert.Equal("expected_average_only_in (folded into the weights)", sae.Info.Normalization);
        TensorAssert.Close(tensors["W_enc"] * 4, sae.EncoderWeight);
        TensorAssert.Close(tensors["W_dec"] / 4, sae.DecoderWeight);
        TensorAssert.Close(tensors["b_dec"] / 4, sae.DecoderBias);
        TensorAssert.Close(tensors["threshold"], sae.Threshold!);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Reads_configs_from_before_saelens_6()
    {
        var tensors = FileTensors("topk", 24);
        SaeFixtures.WriteSaeLens(_directory.File("old"), new Dictionary<string, object>
        {
            ["d_in"] = InputSize, ["d_sae"] = FeatureCount, ["hook_point"] = "blocks.3.hook_resid_pre", ["hook_point_layer"] = 3,
            ["activation_fn_str"] = "topk", ["activation_fn_kwargs"] = new { k = 5 }, ["normalize_activations"] = false,
        }, tensors);

        using var sae = SaeLoader.Load(_directory.File("old"), ComputeTarget.Cpu);

        Assert.Equal(SaeActivation.TopK, sae.Activation);
        Assert.Equal(5, sae.K);
        Assert.True(sae.SubtractDecoderBiasFromInput);
        Assert.Equal(new SaeInfo("saelens", _directory.File("old"), InputSize, FeatureCount, SaeActivation.TopK, 5,
            "blocks.3.hook_resid_pre", 3, ScalarType.Float32, "none"), sae.Info);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Takes_hook_and_layer_from_the_meta_section()
    {
        var tensors = FileTensors("standard", 25);
        SaeFixtures.WriteSaeLens(_directory.File("meta"), Config("standard", applyBDec: false), tensors);

        using var sae = SaeLoader.Load(_directory.File("meta"), new ComputeTarget(CPU, ScalarType.BFloat16));

        Assert.Equal("blocks.5.hook_resid_post", sae.Info.HookName);
        Assert.Equal(5, sae.Info.Layer);
        Assert.Equal(ScalarType.BFloat16, sae.DecoderWeight.dtype);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void A_missing_tensor_is_named_with_its_file()
    {
        var tensors = FileTensors("jumprelu", 26);
        tensors.Remove("threshold", out var threshold);
        threshold!.Dispose();
        SaeFixtures.WriteSaeLens(_directory.File("missing"), Config("jumprelu", applyBDec: true), tensors);

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("missing"), ComputeTarget.Cpu));

        Assert.Contains(Path.Combine(_directory.File("missing"), "sae_weights.safetensors"), error.Message);
        Assert.Contains("'threshold'", error.Message);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void A_wrong_shape_is_reported_with_name_expected_and_found()
    {
        var tensors = FileTensors("standard", 27);
        tensors["W_dec"].Dispose();
        tensors["W_dec"] = zeros(FeatureCount, InputSize + 1);
        SaeFixtures.WriteSaeLens(_directory.File("shape"), Config("standard", applyBDec: true), tensors);

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("shape"), ComputeTarget.Cpu));

        Assert.Contains($"'W_dec' has shape [{FeatureCount}, {InputSize + 1}], expected [{FeatureCount}, {InputSize}]", error.Message);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void An_input_size_other_than_the_models_hidden_size_is_rejected_naming_both()
    {
        SaeFixtures.WriteJson(_directory.File("big/cfg.json"), new { architecture = "standard", d_in = 2304, d_sae = 16384 });

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("big"), ComputeTarget.Cpu, expectedInputSize: 2048));

        Assert.Equal($"SAE {_directory.File("big")} expects d_in=2304 but the model's hidden size is 2048", error.Message);
    }

    [Theory]
    [InlineData("expected_average_only_in", "norm_scaling_factor")]
    [InlineData("batch_norm", "'batch_norm'")]
    public void Normalisations_that_cannot_be_reproduced_are_rejected(string normalization, string named)
    {
        var tensors = FileTensors("standard", 28);
        SaeFixtures.WriteSaeLens(_directory.File("norm"), Config("standard", applyBDec: true, normalization), tensors);

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("norm"), ComputeTarget.Cpu));

        Assert.Contains(named, error.Message);
        Assert.Contains("cfg.json", error.Message);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Unsupported_architectures_are_rejected_naming_them()
    {
        SaeFixtures.WriteJson(_directory.File("odd/cfg.json"), new { architecture = "matryoshka_batchtopk", d_in = 4, d_sae = 8 });

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("odd"), ComputeTarget.Cpu));

        Assert.Contains("'matryoshka_batchtopk'", error.Message);
    }
}
