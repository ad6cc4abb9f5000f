using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tests.Checkpoints;
using static TorchSharp.torch;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Saes;

public sealed class LlamaScopeTests : IDisposable
{
    private const int ModelSize = 8;
    private const int FeatureCount = 16;
    private const double NormIn = 5.0;
    private const double NormOut = 3.0;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>lm-saes orientation: encoder.weight [d_sae, d_model], decoder.weight [d_model, d_sae].</summary>
    private static Dictionary<string, Tensor> FileTensors(ulong seed)
    {
        var generator = new Generator(seed);
        return new Dictionary<string, Tensor>
        {
            ["encoder.weight"] = randn([FeatureCount, ModelSize], generator: generator).div_(Math.Sqrt(ModelSize)),
            ["encoder.bias"] = randn([FeatureCount], generator: generator).mul_(0.3),
            ["decoder.weight"] = randn([ModelSize, FeatureCount], generator: generator).mul_(0.4),
            ["decoder.bias"] = randn([ModelSize], generator: generator).mul_(0.5),
        };
    }

    private static Dictionary<string, object> Hyperparams(double threshold, bool decoderNormSparsity) => new()
    {
        ["d_model"] = ModelSize, ["d_sae"] = FeatureCount, ["act_fn"] = "jumprelu", ["jump_relu_threshold"] = threshold,
        ["norm_activation"] = "dataset-wise", ["dataset_average_activation_norm"] = new { @in = NormIn, @out = NormOut },
        ["apply_decoder_bias_to_pre_encoder"] = false, ["use_decoder_bias"] = true,
        ["sparsity_include_decoder_norm"] = decoderNormSparsity, ["top_k"] = 50,
        ["hook_point_in"] = "blocks.15.hook_resid_post", ["hook_point_out"] = "blocks.15.hook_resid_post",
    };

    /// <summary>
    /// lm-saes inference, unfolded: standardise the parameters for dataset-wise norms (b_E / s_in, W_D · s_in / s_out,
    /// b_D / s_out), optionally move decoder norms into the encoder, then JumpReLU on raw inputs. Features are returned
    /// in the trained (normalised-input) units that the loader keeps: z = hidden · s_in / ‖W_D column‖.
    /// </summary>
    private static (Tensor Features, Tensor Reconstruction) Reference(Tensor x, Dictionary<string, Tensor> file, double threshold,
        bool decoderNormSparsity)
    {
        double sIn = Math.Sqrt(ModelSize) / NormIn, sOut = Math.Sqrt(ModelSize) / NormOut;
        var encoderWeight = file["encoder.weight"];
        var encoderBias = file["encoder.bias"] / sIn;
        var decoderWeight = file["decoder.weight"] * (sIn / sOut);
        var decoderBias = file["decoder.bias"] / sOut;
        var norms = decoderNormSparsity ? decoderWeight.norm(0) : ones(FeatureCount);
        decoderWeight = decoderWeight / norms;
        encoderWeight = encoderWeight * norms.unsqueeze(1);
        encoderBias = encoderBias * norms;
        var hidden = x.matmul(encoderWeight.t()) + encoderBias;
        var features = hidden * hidden.gt(threshold);
        var reconstruction = features.matmul(decoderWeight.t()) + decoderBias;
        return (features * sIn / norms, reconstruction);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Folded_dataset_wise_norms_and_scalar_threshold_reproduce_the_unfolded_formula(bool decoderNormSparsity)
    {
        var tensors = FileTensors(31);
        const double threshold = 0.3;
        SaeFixtures.WriteLlamaScope(_directory.File("L15R"), Hyperparams(threshold, decoderNormSparsity), tensors);
        using var scope = NewDisposeScope();
        var x = SaeFixtures.RandomInputs(32, 20, ModelSize).mul_(3);

        using var sae = SaeLoader.Load(_directory.File("L15R"), ComputeTarget.Cpu, expectedInputSize: ModelSize);
        var encoding = sae.Encode(x);
        var (features, reconstruction) = Reference(x, tensors, threshold, decoderNormSparsity);

        Assert.InRange(features.count_nonzero().item<long>(), 1, x.shape[0] * FeatureCount - 1);
        TensorAssert.Close(features, encoding.Features, 1e-5);
        TensorAssert.Close(reconstruction, sae.Decode(encoding), 1e-5);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Threshold_scales_with_the_input_norm_factor_as_formats_md_describes()
    {
        var tensors = FileTensors(33);
        SaeFixtures.WriteLlamaScope(_directory.File("L15R"), Hyperparams(0.3, decoderNormSparsity: false), tensors);

        using var sae = SaeLoader.Load(_directory.File("L15R"), ComputeTarget.Cpu);

        double s = Math.Sqrt(ModelSize) / NormIn;
        TensorAssert.Close(full([FeatureCount], 0.3 * s), sae.Threshold!);
        TensorAssert.Close(tensors["encoder.weight"].t() * s, sae.EncoderWeight);
        TensorAssert.Close(tensors["encoder.bias"], sae.EncoderBias);
        TensorAssert.Close(tensors["decoder.bias"] * NormOut / Math.Sqrt(ModelSize), sae.DecoderBias);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Weights_stay_transposed_views_of_the_checkpoint_tensors()
    {
        var tensors = FileTensors(34);
        SaeFixtures.WriteLlamaScope(_directory.File("L15R"), Hyperparams(0.3, decoderNormSparsity: false), tensors);

        using var sae = SaeLoader.Load(_directory.File("L15R"), ComputeTarget.Cpu);

        Assert.Equal([(long)ModelSize, FeatureCount], sae.EncoderWeight.shape);
        Assert.Equal([1L, ModelSize], sae.EncoderWeight.stride());
        Assert.Equal([(long)FeatureCount, ModelSize], sae.DecoderWeight.shape);
        Assert.Equal([1L, FeatureCount], sae.DecoderWeight.stride());
        Assert.Equal(new SaeInfo("llama-scope", _directory.File("L15R"), ModelSize, FeatureCount, SaeActivation.JumpRelu, null,
            "blocks.15.hook_resid_post", 15, ScalarType.Float32, "dataset-wise (folded into the weights)"), sae.Info);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Loads_in_bfloat16_keeping_the_transposed_layout()
    {
        var tensors = FileTensors(35);
        SaeFixtures.WriteLlamaScope(_directory.File("L15R"), Hyperparams(0.3, decoderNormSparsity: true), tensors);

        using var sae = SaeLoader.Load(_directory.File("L15R"), new ComputeTarget(CPU, ScalarType.BFloat16));

        Assert.Equal(ScalarType.BFloat16, sae.EncoderWeight.dtype);
        Assert.Equal([1L, ModelSize], sae.EncoderWeight.stride());
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void A_missing_tensor_is_named_with_its_file()
    {
        var tensors = FileTensors(36);
        tensors.Remove("decoder.bias", out var bias);
        bias!.Dispose();
        SaeFixtures.WriteLlamaScope(_directory.File("L15R"), Hyperparams(0.3, decoderNormSparsity: false), tensors);

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("L15R"), ComputeTarget.Cpu));

        Assert.Contains(Path.Combine(_directory.File("L15R"), "checkpoints", "final.safetensors"), error.Message);
        Assert.Contains("'decoder.bias'", error.Message);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void Missing_dataset_norms_are_reported()
    {
        var tensors = FileTensors(37);
        var hyperparams = Hyperparams(0.3, decoderNormSparsity: false);
        hyperparams.Remove("dataset_average_activation_norm");
        SaeFixtures.WriteLlamaScope(_directory.File("L15R"), hyperparams, tensors);

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("L15R"), ComputeTarget.Cpu));

        Assert.Contains("dataset_average_activation_norm.in", error.Message);
        Assert.Contains("hyperparams.json", error.Message);
        SaeFixtures.DisposeAll(tensors);
    }

    [Fact]
    public void An_input_size_other_than_the_models_hidden_size_is_rejected_naming_both()
    {
        SaeFixtures.WriteJson(_directory.File("L3R/hyperparams.json"), new { d_model = 4096, norm_activation = "dataset-wise" });

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("L3R"), ComputeTarget.Cpu, expectedInputSize: 2304));

        Assert.Contains("expects d_in=4096 but the model's hidden size is 2304", error.Message);
    }
}
