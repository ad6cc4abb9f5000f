using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasDashboard.Steering.Models;

/// <summary>Shape and options of one attention block.</summary>
public sealed record AttentionOptions(int HiddenSize, int NumHeads, int NumKeyValueHeads, int HeadDim, double Scaling,
    double? LogitSoftcap = null);

/// <summary>
/// Multi-head attention with grouped key/value heads and rotary positions:
/// <c>softmax(cap·tanh(QKᵀ·scale / cap) + mask) V</c>, the soft cap only where the architecture has one.
/// </summary>
public sealed class Attention : nn.Module
{
    private readonly AttentionOptions _options;
    private readonly Projection _query, _key, _value, _output;

    public Attention(IWeightSource weights, string prefix, AttentionOptions options) : base(nameof(Attention))
    {
        _options = options;
        long queryWidth = options.NumHeads * options.HeadDim, keyValueWidth = options.NumKeyValueHeads * options.HeadDim;
        _query = new Projection(weights, $"{prefix}.q_proj", queryWidth, options.HiddenSize);
        _key = new Projection(weights, $"{prefix}.k_proj", keyValueWidth, options.HiddenSize);
        _value = new Projection(weights, $"{prefix}.v_proj", keyValueWidth, options.HiddenSize);
        _output = new Projection(weights, $"{prefix}.o_proj", options.HiddenSize, queryWidth);
        register_module("q_proj", _query);
        register_module("k_proj", _key);
        register_module("v_proj", _value);
        register_module("o_proj", _output);
    }

    /// <param name="hidden"><c>[batch, tokens, hidden]</c></param>
    /// <param name="layer">This block's layer index, for the KV cache.</param>
    /// <param name="mask">Additive mask <c>[batch, 1, tokens, keys]</c>.</param>
    public Tensor Forward(Tensor hidden, ForwardContext context, int layer, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], tokens = hidden.shape[1];
        var o = _options;
        var q = _query.forward(hidden).view(batch, tokens, o.NumHeads, o.HeadDim).transpose(1, 2);
        var k = _key.forward(hidden).view(batch, tokens, o.NumKeyValueHeads, o.HeadDim).transpose(1, 2);
        var v = _value.forward(hidden).view(batch, tokens, o.NumKeyValueHeads, o.HeadDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, context.RotaryCos, context.RotarySin);
        k = RotaryEmbedding.Apply(k, context.RotaryCos, context.RotarySin);
        if (context.Cache is { } cache) (k, v) = cache.Append(layer, k, v);
        k = RepeatKeyValueHeads(k, o.NumHeads / o.NumKeyValueHeads);
        v = RepeatKeyValueHeads(v, o.NumHeads / o.NumKeyValueHeads);

        var scores = matmul(q, k.transpose(2, 3)) * o.Scaling;
        if (o.LogitSoftcap is { } cap) scores = tanh(scores / cap) * cap;
        var weights = F.softmax(scores + mask, -1, ScalarType.Float32).to(q.dtype);
        var attended = matmul(weights, v).transpose(1, 2).reshape(batch, tokens, o.NumHeads * o.HeadDim);
        return _output.forward(attended).MoveToOuterDisposeScope();
    }

    private static Tensor RepeatKeyValueHeads(Tensor x, int repeats)
    {
        if (repeats == 1) return x;
        long b = x.shape[0], heads = x.shape[1], keys = x.shape[2], dim = x.shape[3];
        return x.unsqueeze(2).expand(b, heads, repeats, keys, dim).reshape(b, heads * repeats, keys, dim);
    }
}

