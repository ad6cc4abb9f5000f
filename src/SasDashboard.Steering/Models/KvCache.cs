using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Pre-allocated keys and values of every layer, <c>[batch, kvHeads, capacity, headDim]</c>, written in place as tokens
/// arrive so that decoding never concatenates.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public long Capacity { get; }
    /// <summary>Tokens already stored (for every layer) before the forward pass that is running.</summary>
    public long Length { get; private set; }

    public KvCache(ModelConfig config, long batch, long capacity, ScalarType dtype, Device device)
    {
        Capacity = capacity;
        _keys = new Tensor[config.NumLayers];
        _values = new Tensor[config.NumLayers];
        for (int i = 0; i < config.NumLayers; i++)
        {
            _keys[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
            _values[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
        }
    }

    /// <summary>Stores this pass's keys and values for <paramref name="layer"/>; returns all keys and values so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        long tokens = keys.shape[2];
        if (Length + tokens > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {Length} + {tokens} tokens exceed its capacity of {Capacity}");
        _keys[layer].narrow(2, Length, tokens).copy_(keys);
        _values[layer].narrow(2, Length, tokens).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + tokens), _values[layer].narrow(2, 0, Length + tokens));
    }

    internal void Advance(long tokens) => Length += tokens;

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
