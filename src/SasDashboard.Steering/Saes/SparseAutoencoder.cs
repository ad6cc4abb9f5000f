using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// A sparse autoencoder over a model's residual stream (or another activation of width <c>d_in</c>):
/// <code>
/// x' = (x − shift) · scale                        input normalisation (<see cref="SaeNormalization"/>)
/// z  = (x' − b_dec?) @ W_enc + b_enc              pre-activations; b_dec only if SubtractDecoderBiasFromInput
/// f  = activation(z)                              ReLU, JumpReLU or TopK
/// x̂  = (f @ W_dec + b_dec) / scale + shift        back in the model's units
/// </code>
/// Computations run in the weights' dtype; the per-token normalisation statistics are computed in float32.
/// The SAE owns its weight tensors and disposes them.
/// </summary>
public sealed class SparseAutoencoder : IDisposable
{
    // SAELens' run_time_activation_ln_in adds this to the standard deviation.
    private const double LayerNormEps = 1e-5;

    private readonly SaeWeights _weights;

    public SaeInfo Info { get; }
    public int InputSize { get; }
    public int FeatureCount { get; }
    public SaeActivation Activation { get; }

    /// <summary>The number of features TopK keeps per token; null for other activations.</summary>
    public int? K { get; }

    public bool SubtractDecoderBiasFromInput { get; }
    public SaeNormalization Normalization { get; }

    /// <summary><c>W_enc [d_in, d_sae]</c>.</summary>
    public Tensor EncoderWeight => _weights.EncoderWeight;

    /// <summary><c>b_enc [d_sae]</c>.</summary>
    public Tensor EncoderBias => _weights.EncoderBias;

    /// <summary><c>W_dec [d_sae, d_in]</c>.</summary>
    public Tensor DecoderWeight => _weights.DecoderWeight;

    /// <summary><c>b_dec [d_in]</c>.</summary>
    public Tensor DecoderBias => _weights.DecoderBias;

    /// <summary><c>threshold [d_sae]</c>, for JumpReLU only.</summary>
    public Tensor? Threshold => _weights.Threshold;

    public ScalarType DType => EncoderWeight.dtype;
    public Device Device => EncoderWeight.device;

    /// <summary>Builds an SAE that takes ownership of <paramref name="weights"/> (they leave any dispose scope).</summary>
    public SparseAutoencoder(SaeWeights weights, SaeArchitecture architecture, SaeOrigin origin)
    {
        Validate(weights, architecture);
        _weights = weights;
        _weights.DetachFromDisposeScope();
        InputSize = (int)weights.InputSize;
        FeatureCount = (int)weights.FeatureCount;
        Activation = architecture.Activation;
        K = architecture.K;
        SubtractDecoderBiasFromInput = architecture.SubtractDecoderBiasFromInput;
        Normalization = architecture.Normalization;
        Info = new SaeInfo(origin.Format, origin.SourcePath, InputSize, FeatureCount, Activation, K, origin.HookName,
            origin.Layer, DType,
            origin.FoldedNormalization is { } folded ? $"{folded} (folded into the weights)" : Normalization.ConfigName());
    }

    private static void Validate(SaeWeights weights, SaeArchitecture architecture)
    {
        if (weights.EncoderWeight.dim() != 2)
            throw new ArgumentException($"W_enc must be [d_in, d_sae], got [{string.Join(", ", weights.EncoderWeight.shape)}]", nameof(weights));
        long dIn = weights.InputSize, dSae = weights.FeatureCount;
        void Require(string name, Tensor? tensor, params long[] shape)
        {
            if (tensor is null) throw new ArgumentException($"{name} is required", nameof(weights));
            if (!tensor.shape.SequenceEqual(shape))
                throw new ArgumentException(
                    $"{name} has shape [{string.Join(", ", tensor.shape)}], expected [{string.Join(", ", shape)}]", nameof(weights));
            if (tensor.dtype != weights.EncoderWeight.dtype || tensor.device.ToString() != weights.EncoderWeight.device.ToString())
                throw new ArgumentException(
                    $"{name} is {tensor.dtype} on {tensor.device}, unlike W_enc ({weights.EncoderWeight.dtype} on {weights.EncoderWeight.device})",
                    nameof(weights));
        }
        Require("b_enc", weights.EncoderBias, dSae);
        Require("W_dec", weights.DecoderWeight, dSae, dIn);
        Require("b_dec", weights.DecoderBias, dIn);
        if (!weights.EncoderWeight.is_floating_point())
            throw new ArgumentException($"SAE weights must be floating point, not {weights.EncoderWeight.dtype}", nameof(weights));
        if (architecture.Activation == SaeActivation.JumpRelu) Require("threshold", weights.Threshold, dSae);
        else if (weights.Threshold is not null)
            throw new ArgumentException($"a threshold is only used by JumpReLU, not {architecture.Activation}", nameof(weights));
        if (architecture.Activation == SaeActivation.TopK ? architecture.K is not { } k || k < 1 || k > dSae : architecture.K is not null)
            throw new ArgumentException(
                $"K must be given for TopK (1 ≤ K ≤ {dSae}) and only for TopK; got {architecture.Activation} with K={architecture.K}",
                nameof(architecture));
    }

    /// <summary>The per-token map into SAE space, <c>x' = (x − shift) · scale</c>: float32 tensors <c>[..., 1]</c>.</summary>
    public (Tensor Shift, Tensor Scale) InputTransform(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor shift, scale;
        switch (Normalization)
        {
            case SaeNormalization.None:
                var tokenShape = x.shape[..^1].Append(1L).ToArray();
                shift = zeros(tokenShape, ScalarType.Float32, x.device);
                scale = ones(tokenShape, ScalarType.Float32, x.device);
                break;
            case SaeNormalization.ConstantNormRescale:
                var norm = x.to(ScalarType.Float32).norm(-1, keepdim: true);
                shift = zeros_like(norm);
                scale = norm.reciprocal().mul_(Math.Sqrt(InputSize));
                break;
            case SaeNormalization.LayerNorm:
                var (std, mean) = x.to(ScalarType.Float32).std_mean(-1, unbiased: true, keepdim: true);
                shift = mean;
                scale = std.add_(LayerNormEps).reciprocal_();
                break;
            default:
                throw new InvalidOperationException($"unknown normalisation {Normalization}");
        }
        return (shift.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope());
    }

    /// <summary><c>x' = (x − shift) · scale</c>, in the SAE's dtype: the input that <see cref="PreActivations"/> expects.</summary>
    public Tensor NormalizeInput(Tensor x, Tensor shift, Tensor scale)
    {
        using var scope = NewDisposeScope();
        return x.to(ScalarType.Float32).sub(shift).mul_(scale).to(DType).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>z = (x' − b_dec?) @ W_enc + b_enc</c> for a normalised input <c>x' [..., d_in]</c>. With a
    /// <paramref name="slice"/> only its features' encoder columns are used and the result is <c>[..., n]</c>, equal to
    /// the full result restricted to those features.
    /// </summary>
    public Tensor PreActivations(Tensor normalizedInput, SaeFeatureSlice? slice = null)
    {
        using var scope = NewDisposeScope();
        var input = normalizedInput.to(DType);
        if (SubtractDecoderBiasFromInput) input = input.sub(DecoderBias);
        return input.matmul(slice?.EncoderColumns ?? EncoderWeight).add_(slice?.EncoderBias ?? EncoderBias)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The features <paramref name="featureIndices"/> (int64, <c>[n]</c>) with their weights gathered once.</summary>
    public SaeFeatureSlice Slice(Tensor featureIndices) => new(this, featureIndices);

    /// <summary>
    /// The elementwise activation of pre-activations <c>[..., n]</c>: ReLU, or JumpReLU with the thresholds of the
    /// <paramref name="slice"/>'s features (all features when null). TopK is not elementwise: here it is plain ReLU,
    /// the activation of the features that TopK keeps; <see cref="Encode"/> applies the selection itself.
    /// </summary>
    public Tensor Activate(Tensor preActivations, SaeFeatureSlice? slice = null)
    {
        if (Activation != SaeActivation.JumpRelu) return preActivations.relu();
        using var scope = NewDisposeScope();
        var threshold = slice is null ? Threshold! : slice.Threshold!;
        return preActivations.relu().masked_fill_(preActivations.le(threshold), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes residual vectors <c>x [..., d_in]</c> (any dtype) into features <c>[..., d_sae]</c>.</summary>
    public SaeEncoding Encode(Tensor x)
    {
        RequireInputWidth(x);
        using var scope = NewDisposeScope();
        var (shift, scale) = InputTransform(x);
        var preActivations = PreActivations(NormalizeInput(x, shift, scale));
        var features = Activation == SaeActivation.TopK ? KeepTopK(preActivations) : Activate(preActivations);
        return new SaeEncoding(features.MoveToOuterDisposeScope(), shift.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope());
    }

    private Tensor KeepTopK(Tensor preActivations)
    {
        var (values, indices) = preActivations.topk(K!.Value, dim: -1);
        return zeros_like(preActivations).scatter_(-1, indices, values.relu_());
    }

    public Tensor Decode(SaeEncoding encoding) => Decode(encoding.Features, encoding.Shift, encoding.Scale);

    /// <summary><c>x̂ = (f @ W_dec + b_dec) / scale + shift</c>: features <c>[..., d_sae]</c> back in the model's units,
    /// in the SAE's dtype.</summary>
    public Tensor Decode(Tensor features, Tensor shift, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var reconstruction = features.to(DType).matmul(DecoderWeight).add_(DecoderBias);
        return reconstruction.to(ScalarType.Float32).div_(scale).add_(shift).to(DType).MoveToOuterDisposeScope();
    }

    private void RequireInputWidth(Tensor x)
    {
        if (x.dim() == 0 || x.shape[^1] != InputSize)
            throw new ArgumentException(
                $"SAE {Info.SourcePath} expects inputs [..., {InputSize}], got [{string.Join(", ", x.shape)}]", nameof(x));
    }

    public void Dispose() => _weights.Dispose();
}
