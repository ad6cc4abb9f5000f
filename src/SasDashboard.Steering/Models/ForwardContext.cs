using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Everything a forward pass shares across layers: positions, rotary tables, attention masks, the KV cache, and where
/// the prompt ends. Built once per pass by <see cref="CausalLanguageModel.Prepare"/>.
/// </summary>
public sealed class ForwardContext : IDisposable
{
    /// <summary>Position of each query token, <c>[batch, tokens]</c>; left padding does not count.</summary>
    public required Tensor PositionIds { get; init; }
    /// <summary>1 for real tokens, 0 for padding, over every key so far, <c>[batch, keys]</c>.</summary>
    public required Tensor AttentionMask { get; init; }
    public required Tensor RotaryCos { get; init; }
    public required Tensor RotarySin { get; init; }
    /// <summary>Additive mask <c>[batch, 1, tokens, keys]</c>: 0 where a query may look, the dtype's minimum elsewhere.</summary>
    public required Tensor FullAttentionMask { get; init; }
    /// <summary>As <see cref="FullAttentionMask"/>, restricted to the sliding window (Gemma-2's even layers); null if unused.</summary>
    public Tensor? SlidingAttentionMask { get; init; }
    public KvCache? Cache { get; init; }
    /// <summary>Cache index of this pass's first token: 0 for a prefill, the prompt length and more while decoding.</summary>
    public long PastLength { get; init; }
    /// <summary>Padded prompt length: tokens at this cache index and later are generated ones.</summary>
    public long PromptLength { get; init; }

    public long QueryLength => PositionIds.shape[1];

    public void Dispose()
    {
        PositionIds.Dispose();
        AttentionMask.Dispose();
        RotaryCos.Dispose();
        RotarySin.Dispose();
        FullAttentionMask.Dispose();
        SlidingAttentionMask?.Dispose();
    }
}
