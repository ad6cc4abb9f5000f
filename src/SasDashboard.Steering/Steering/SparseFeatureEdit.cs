using SasDashboard.Steering.Saes;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Steering;

/// <summary>
/// The SAS update restricted to the steering vector's support S. Because enc(a) ≥ 0 and σ (ReLU, JumpReLU) leaves
/// f = enc(a) unchanged wherever v is zero, every feature outside S cancels between the two decodes:
/// <c>dec(σ(f + λv)) − dec(f) = Σ_{i∈S} (σ(f_i + λv_i) − f_i) · W_dec[i] / scale</c> (b_dec and any input shift cancel too).
/// So one edit costs two thin products with |S| encoder columns and decoder rows, whatever the SAE's width.
/// TopK SAEs: f still needs the full encode to know which features are in the top k; after adding λv the elementwise
/// σ is ReLU (re-applying TopK would let other features' ranks change, breaking the cancellation).
/// </summary>
public sealed class SparseFeatureEdit : IDisposable
{
    private readonly SparseAutoencoder _sae;
    private readonly SaeFeatureSlice _support; // S's encoder columns, thresholds and decoder rows, gathered once
    private readonly Tensor _values;           // [|S|], Σ λ_k v_k over the combined terms

    public SparseFeatureEdit(SparseAutoencoder sae, IReadOnlyDictionary<long, double> combinedValues)
    {
        _sae = sae;
        var ordered = combinedValues.OrderBy(kv => kv.Key).ToArray();
        var device = sae.Device;
        using var indices = tensor(ordered.Select(kv => kv.Key).ToArray(), ScalarType.Int64);
        _support = sae.Slice(indices);
        _values = tensor(ordered.Select(kv => (float)kv.Value).ToArray()).to(sae.DType, device);
    }

    /// <summary>The change to the residual stream, <c>[batch, tokens, d]</c>, in the residual's dtype.</summary>
    /// <param name="rowMultipliers">Optional per-row factor on λ, <c>[batch]</c> (sweeps stack several λ in one batch).</param>
    public Tensor Delta(Tensor residual, Tensor? rowMultipliers)
    {
        using var scope = NewDisposeScope();
        Tensor codes, scale;
        if (_sae.Activation == SaeActivation.TopK)
        {
            var encoding = _sae.Encode(residual);
            codes = encoding.Features.index_select(-1, _support.Indices);
            scale = encoding.Scale;
        }
        else
        {
            (var shift, scale) = _sae.InputTransform(residual);
            codes = _sae.Activate(_sae.PreActivations(_sae.NormalizeInput(residual, shift, scale), _support), _support);
        }
        var push = rowMultipliers is null ? _values : rowMultipliers.to(_values.dtype).view(-1, 1, 1) * _values;
        var steered = _sae.Activate(codes + push, _support); // ReLU for TopK, see the class comment
        var delta = (steered - codes).matmul(_support.DecoderRows).to(ScalarType.Float32) / scale;
        return delta.to(residual.dtype).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _support.Dispose();
        _values.Dispose();
    }
}
