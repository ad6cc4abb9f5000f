using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// Llama Scope (OpenMOSS lm-saes) directories: <c>hyperparams.json</c> + <c>checkpoints/final.safetensors</c> with
/// <c>encoder.weight [d_sae, d_model]</c>, <c>encoder.bias</c>, <c>decoder.weight [d_model, d_sae]</c>,
/// <c>decoder.bias</c>. The encoder and decoder weights are used as transposed views, never copied to transpose.
/// </summary>
/// <remarks>
/// With <c>norm_activation: dataset-wise</c> the SAE was trained on <c>x·s_in</c>, <c>s_in = sqrt(d_model) / norm.in</c>,
/// and its output is divided by <c>s_out = sqrt(d_model) / norm.out</c>. That is folded into the weights
/// (<c>W_enc·s_in</c>, <c>W_dec/s_out</c>, <c>b_dec/s_out</c>), keeping features in the SAE's trained units. lm-saes
/// compares its scalar <c>jump_relu_threshold</c> θ with pre-activations in input units (<c>z / s_in</c>), so the
/// threshold on <c>z</c> is <c>θ·s_in</c>. With <c>sparsity_include_decoder_norm</c> it compares
/// <c>z_j·‖W_dec_j‖</c> instead (decoder row norm in output units), giving per-feature thresholds <c>θ / ‖W_dec_j‖</c>.
/// </remarks>
internal static class LlamaScopeLoader
{
    public const string ConfigFileName = "hyperparams.json";
    public static readonly string WeightsPath = Path.Combine("checkpoints", "final.safetensors");

    public static SparseAutoencoder Load(string directory, ComputeTarget target, int? expectedInputSize)
    {
        var config = SaeConfigFile.Read(Path.Combine(directory, ConfigFileName));
        int dModel = config.RequiredInt("d_model");
        SaeFileChecks.InputSize(directory, dModel, expectedInputSize);
        var normName = config.String("norm_activation") ?? throw config.Missing("norm_activation");
        var (runTimeNormalization, inputScale, outputScale) = normName switch
        {
            "dataset-wise" => (SaeNormalization.None,
                Math.Sqrt(dModel) / (config.Number("dataset_average_activation_norm", "in")
                                     ?? throw config.Missing("dataset_average_activation_norm.in", "needed by dataset-wise normalisation")),
                Math.Sqrt(dModel) / (config.Number("dataset_average_activation_norm", "out")
                                     ?? throw config.Missing("dataset_average_activation_norm.out", "needed by dataset-wise normalisation"))),
            // token-wise scales each token to norm sqrt(d_model), as SAELens' constant_norm_rescale does.
            "token-wise" => (SaeNormalization.ConstantNormRescale, 1.0, 1.0),
            "inference" => (SaeNormalization.None, 1.0, 1.0),
            _ => throw new CheckpointException(
                $"{config.Path}: norm_activation '{normName}' is not supported (dataset-wise, token-wise, inference)"),
        };
        bool subtractDecoderBias = config.Bool("apply_decoder_bias_to_pre_encoder") ?? false;
        if (subtractDecoderBias && inputScale != outputScale)
            throw new CheckpointException(
                $"{config.Path}: apply_decoder_bias_to_pre_encoder with different input and output norms cannot be folded");
        bool decoderNormSparsity = config.Bool("sparsity_include_decoder_norm") ?? false;
        var actFn = config.String("act_fn") ?? "relu";
        double threshold = config.Number("jump_relu_threshold") ?? 0;
        // lm-saes runs a TopK SAE that has a positive jump_relu_threshold as JumpReLU at inference.
        var (activation, k) = actFn switch
        {
            "jumprelu" => (SaeActivation.JumpRelu, (int?)null),
            "topk" when threshold > 0 => (SaeActivation.JumpRelu, null),
            "topk" when !decoderNormSparsity => (SaeActivation.TopK, config.RequiredInt("top_k")),
            "topk" => throw new CheckpointException(
                $"{config.Path}: TopK with sparsity_include_decoder_norm ranks features by z·‖W_dec‖, which is not supported"),
            "relu" => (SaeActivation.Relu, null),
            _ => throw new CheckpointException($"{config.Path}: act_fn '{actFn}' is not supported (jumprelu, topk, relu)"),
        };
        if (activation == SaeActivation.JumpRelu && config.Find("jump_relu_threshold") is null)
            throw config.Missing("jump_relu_threshold", $"act_fn is {actFn}");
        var hookName = config.String("hook_point_in");

        using var file = SafetensorsFile.Open(Path.Combine(directory, WeightsPath));
        if (!file.Tensors.TryGetValue("encoder.weight", out var encoderEntry))
            throw new CheckpointException($"{file.Path}: missing tensor 'encoder.weight'");
        long dSae = config.Int("d_sae") ?? encoderEntry.Shape[0];
        bool useDecoderBias = config.Bool("use_decoder_bias") ?? true;
        var expectedShapes = new Dictionary<string, long[]>
        {
            ["encoder.weight"] = [dSae, dModel], ["encoder.bias"] = [dSae], ["decoder.weight"] = [dModel, dSae],
        };
        if (useDecoderBias) expectedShapes["decoder.bias"] = [dModel];
        foreach (var (name, shape) in expectedShapes)
        {
            if (!file.Tensors.TryGetValue(name, out var entry)) throw new CheckpointException($"{file.Path}: missing tensor '{name}'");
            SaeFileChecks.Shape(file.Path, name, entry.Shape, shape);
        }

        using var scope = NewDisposeScope();
        // Folding runs in float32 on the CPU, before the one conversion to the target.
        bool fold = normName == "dataset-wise" || (activation == SaeActivation.JumpRelu && decoderNormSparsity);
        var (readType, readDevice) = fold ? (ScalarType.Float32, CPU) : (target.DType, target.Device);
        Tensor Read(string name) => file.Read(name, readType, readDevice);
        var decoderBias = useDecoderBias ? Read("decoder.bias") : zeros(dModel, readType, readDevice);
        var weights = new SaeWeights(Read("encoder.weight").t(), Read("encoder.bias"), Read("decoder.weight").t(), decoderBias, null);
        if (normName == "dataset-wise")
        {
            weights.FoldInputScale(inputScale);
            weights.FoldOutputScale(outputScale);
        }
        if (activation == SaeActivation.JumpRelu)
            weights = weights with
            {
                Threshold = decoderNormSparsity
                    ? weights.DecoderWeight.norm(1).reciprocal_().mul_(threshold)
                    : full(dSae, threshold * inputScale, readType, readDevice),
            };
        return new SparseAutoencoder(weights.To(target), new SaeArchitecture(activation, k, subtractDecoderBias, runTimeNormalization),
            new SaeOrigin("llama-scope", directory, hookName, TransformerLensHooks.LayerOf(hookName),
                normName == "dataset-wise" ? normName : null));
    }
}
