using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Reads or edits the residual stream after a decoder block (transformers' <c>hidden_states[L+1]</c>, TransformerLens'
/// <c>blocks.L.hook_resid_post</c>), in prefill and in every decoding step. Hooks are passed per forward call, so a
/// pass without hooks runs the plain layer loop.
/// </summary>
public interface IResidualStreamHook
{
    /// <summary>The layers after which this hook runs.</summary>
    IReadOnlyCollection<int> Layers { get; }

    /// <summary>
    /// Returns the residual stream to continue with: <paramref name="residual"/> itself when only reading, or a new
    /// tensor of the same shape. The model may dispose <paramref name="residual"/> after this call, and the pass runs in
    /// a dispose scope, so a hook that keeps anything must copy it and call <c>DetachFromDisposeScope()</c> on the copy.
    /// </summary>
    Tensor OnResidual(int layer, Tensor residual, ForwardContext context);
}
