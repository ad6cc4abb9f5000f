using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// SAELens directories: <c>cfg.json</c> + <c>sae_weights.safetensors</c> with <c>W_enc [d_in, d_sae]</c>,
/// <c>W_dec [d_sae, d_in]</c>, <c>b_enc</c>, <c>b_dec</c>, plus <c>threshold</c> (jumprelu) or <c>b_gate</c>,
/// <c>b_mag</c>, <c>r_mag</c> (gated). Configs from before SAELens 6 (<c>hook_point</c>, <c>activation_fn_str</c>,
/// boolean <c>normalize_activations</c>) are read too.
/// </summary>
internal static class SaeLensLoader
{
    public const string ConfigFileName = "cfg.json";
    public const string WeightsFileName = "sae_weights.safetensors";

    private sealed record Normalization(SaeNormalization RunTime, double? FoldedFactor, string? FoldedName);

    public static SparseAutoencoder Load(string directory, ComputeTarget target, int? expectedInputSize)
    {
        var config = SaeConfigFile.Read(Path.Combine(directory, ConfigFileName), "meta");
        int dIn = config.RequiredInt("d_in"), dSae = config.RequiredInt("d_sae");
        SaeFileChecks.InputSize(directory, dIn, expectedInputSize);
        var architecture = config.String("architecture") ?? "standard";
        var (activation, k) = ActivationOf(config, architecture);
        bool gated = architecture == "gated";
        var normalization = NormalizationOf(config);
        var hookName = config.String("hook_name") ?? config.String("hook_point");
        var layer = config.Int("hook_layer") ?? config.Int("hook_point_layer") ?? TransformerLensHooks.LayerOf(hookName);

        using var file = SafetensorsFile.Open(Path.Combine(directory, WeightsFileName));
        var expectedShapes = new Dictionary<string, long[]>
        {
            ["W_enc"] = [dIn, dSae], ["W_dec"] = [dSae, dIn], ["b_dec"] = [dIn],
        };
        foreach (var name in gated ? ["b_gate", "b_mag", "r_mag"] : new[] { "b_enc" }) expectedShapes[name] = [dSae];
        if (activation == SaeActivation.JumpRelu && !gated) expectedShapes["threshold"] = [dSae];
        foreach (var (name, shape) in expectedShapes)
        {
            if (!file.Tensors.TryGetValue(name, out var entry))
                throw new CheckpointException($"{file.Path}: missing tensor '{name}' (needed by a '{architecture}' SAE)");
            SaeFileChecks.Shape(file.Path, name, entry.Shape, shape);
        }
        if (file.Tensors.TryGetValue("scaling_factor", out var scalingEntry))
            SaeFileChecks.Shape(file.Path, "scaling_factor", scalingEntry.Shape, dSae);

        using var scope = NewDisposeScope();
        // Old SAELens files carry a per-feature "scaling_factor" that multiplies features before decoding; it is
        // usually all ones.
        var scalingFactor = scalingEntry is null ? null : file.Read("scaling_factor", ScalarType.Float32);
        bool scaleDecoder = scalingFactor is not null && !scalingFactor.eq(1).all().item<bool>();
        // Folding runs in float32 on the CPU, before the one conversion to the target.
        bool fold = gated || normalization.FoldedFactor is not null || scaleDecoder;
        Tensor Read(string name) =>
            fold ? file.Read(name, ScalarType.Float32) : file.Read(name, target.DType, target.Device);

        var encoderWeight = Read("W_enc");
        var decoderWeight = Read("W_dec");
        Tensor encoderBias;
        Tensor? threshold = null;
        if (gated)
        {
            // Gated: f = 1[x@W_enc + b_gate > 0] · relu(x@(W_enc·exp(r_mag)) + b_mag). The magnitude path z is an
            // increasing affine function of the gate's pre-activation, so the gate opens exactly when
            // z > b_mag − exp(r_mag)·b_gate: a JumpReLU (with ReLU) on z.
            var magnitudeScale = Read("r_mag").exp_();
            encoderWeight.mul_(magnitudeScale);
            encoderBias = Read("b_mag");
            threshold = encoderBias - magnitudeScale * Read("b_gate");
        }
        else
        {
            encoderBias = Read("b_enc");
            if (activation == SaeActivation.JumpRelu) threshold = Read("threshold");
        }
        var weights = new SaeWeights(encoderWeight, encoderBias, decoderWeight, Read("b_dec"), threshold);
        if (scaleDecoder) decoderWeight.mul_(scalingFactor!.unsqueeze(1));
        if (normalization.FoldedFactor is { } factor)
        {
            weights.FoldInputScale(factor);
            weights.FoldOutputScale(factor);
        }
        bool subtractDecoderBias = config.Bool("apply_b_dec_to_input") ?? true;
        return new SparseAutoencoder(weights.To(target),
            new SaeArchitecture(activation, k, subtractDecoderBias, normalization.RunTime),
            new SaeOrigin("saelens", directory, hookName, layer, normalization.FoldedName));
    }

    private static (SaeActivation, int?) ActivationOf(SaeConfigFile config, string architecture)
    {
        var activationFunction = config.String("activation_fn") ?? config.String("activation_fn_str") ?? "relu";
        int TopK() => config.Int("k") ?? config.Int("activation_fn_kwargs", "k") ?? throw config.Missing("k", "a topk SAE needs it");
        return architecture switch
        {
            // Before SAELens 6, TopK SAEs were "standard" with activation_fn "topk".
            "standard" when activationFunction == "topk" => (SaeActivation.TopK, TopK()),
            "standard" when activationFunction == "relu" => (SaeActivation.Relu, null),
            "standard" => throw new CheckpointException(
                $"{config.Path}: activation_fn '{activationFunction}' is not supported (relu or topk)"),
            "topk" => (SaeActivation.TopK, TopK()),
            "jumprelu" or "gated" => (SaeActivation.JumpRelu, null),
            _ => throw new CheckpointException(
                $"{config.Path}: architecture '{architecture}' is not supported (standard, jumprelu, topk, gated)"),
        };
    }

    private static Normalization NormalizationOf(SaeConfigFile config)
    {
        var value = config.Find("normalize_activations");
        // Before SAELens 3 this was a boolean meaning expected_average_only_in.
        var name = value?.ValueKind switch
        {
            null or System.Text.Json.JsonValueKind.False => "none",
            System.Text.Json.JsonValueKind.True => "expected_average_only_in",
            _ => config.String("normalize_activations")!,
        };
        return name switch
        {
            "none" => new Normalization(SaeNormalization.None, null, null),
            "constant_norm_rescale" => new Normalization(SaeNormalization.ConstantNormRescale, null, null),
            "layer_norm" => new Normalization(SaeNormalization.LayerNorm, null, null),
            // Inputs were scaled by a constant factor in training; SAELens folds it into the weights at load time
            // and takes it from its pretrained-SAE registry, which is not on disk.
            "expected_average_only_in" => new Normalization(SaeNormalization.None,
                config.Number("norm_scaling_factor") ?? throw config.Missing("norm_scaling_factor",
                    "normalize_activations is expected_average_only_in; give the factor SAELens lists for this SAE"),
                name),
            _ => throw new CheckpointException(
                $"{config.Path}: normalize_activations '{name}' is not supported (none, expected_average_only_in, constant_norm_rescale, layer_norm)"),
        };
    }
}
