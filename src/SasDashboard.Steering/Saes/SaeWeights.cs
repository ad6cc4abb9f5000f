using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// An SAE's tensors in Gemma Scope / SAELens orientation: <c>W_enc [d_in, d_sae]</c>, <c>b_enc [d_sae]</c>,
/// <c>W_dec [d_sae, d_in]</c>, <c>b_dec [d_in]</c>, and <c>threshold [d_sae]</c> for JumpReLU. A weight may be a
/// transposed view of a checkpoint tensor stored the other way round.
/// </summary>
public sealed record SaeWeights(Tensor EncoderWeight, Tensor EncoderBias, Tensor DecoderWeight, Tensor DecoderBias, Tensor? Threshold)
    : IDisposable
{
    public long InputSize => EncoderWeight.shape[0];
    public long FeatureCount => EncoderWeight.shape[^1];

    private IEnumerable<Tensor> All =>
        Threshold is null
            ? [EncoderWeight, EncoderBias, DecoderWeight, DecoderBias]
            : [EncoderWeight, EncoderBias, DecoderWeight, DecoderBias, Threshold];

    /// <summary>Folds a constant input scale <c>x_sae = factor · x</c> into the encoder: pre-activations are unchanged.</summary>
    internal void FoldInputScale(double factor) => EncoderWeight.mul_(factor);

    /// <summary>Folds a constant output scale <c>x̂ = x̂_sae / factor</c> into the decoder.</summary>
    internal void FoldOutputScale(double factor)
    {
        DecoderWeight.div_(factor);
        DecoderBias.div_(factor);
    }

    /// <summary>The same weights in the target's dtype and device; tensors that had to be converted are disposed.
    /// Conversion keeps each tensor's memory layout, so transposed views stay views of a single copy.</summary>
    internal SaeWeights To(ComputeTarget target)
    {
        Tensor Convert(Tensor tensor)
        {
            var converted = tensor.to(target.DType, target.Device);
            if (!ReferenceEquals(converted, tensor)) tensor.Dispose();
            return converted;
        }
        return new SaeWeights(Convert(EncoderWeight), Convert(EncoderBias), Convert(DecoderWeight), Convert(DecoderBias),
            Threshold is null ? null : Convert(Threshold));
    }

    /// <summary>Takes the tensors out of any dispose scope, for an owner that outlives it.</summary>
    internal void DetachFromDisposeScope()
    {
        foreach (var tensor in All) tensor.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var tensor in All) tensor.Dispose();
    }
}
