using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Gemma-2 (transformers' <c>Gemma2ForCausalLM</c>): embeddings scaled by √d, RMSNorm with <c>1 + w</c>, norms before
/// and after both attention and feed-forward, GeGLU, attention logits soft-capped and scaled by
/// <c>query_pre_attn_scalar^-½</c>, sliding-window attention on even layers, soft-capped final logits, tied head.
/// </summary>
public sealed class Gemma2ForCausalLM : CausalLanguageModel
{
    private readonly double? _finalSoftcap;

    public Gemma2ForCausalLM(ModelConfig config, IWeightSource weights, ComputeTarget target)
        : base(nameof(Gemma2ForCausalLM), config, weights, target,
            (w, i) => new Gemma2DecoderLayer(config, w, i), isSlidingLayer: i => i % 2 == 0)
    {
        _finalSoftcap = config.FinalLogitSoftcapping;
    }

    /// <summary>h₀ = E[ids] · √d, the scalar rounded to the model dtype as transformers does.</summary>
    public override Tensor Embed(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var embedded = base.Embed(inputIds);
        var normalizer = tensor(Math.Sqrt(Config.HiddenSize), embedded.dtype, embedded.device);
        return (embedded * normalizer).MoveToOuterDisposeScope();
    }

    /// <summary>logits = cap · tanh(logits / cap).</summary>
    protected override Tensor TransformLogits(Tensor logits) =>
        _finalSoftcap is { } cap ? tanh(logits / cap) * cap : logits;
}

public sealed class Gemma2DecoderLayer : DecoderLayer
{
    private readonly int _index;
    private readonly RmsNorm _inputNorm, _postAttentionNorm, _preFeedForwardNorm, _postFeedForwardNorm;
    private readonly Attention _attention;
    private readonly GatedMlp _mlp;

    public Gemma2DecoderLayer(ModelConfig config, IWeightSource weights, int index) : base(nameof(Gemma2DecoderLayer))
    {
        _index = index;
        string prefix = $"model.layers.{index}";
        RmsNorm Norm(string name) => new(weights, $"{prefix}.{name}", config.HiddenSize, config.RmsNormEps, unitOffset: true);
        _inputNorm = Norm("input_layernorm");
        _postAttentionNorm = Norm("post_attention_layernorm");
        _preFeedForwardNorm = Norm("pre_feedforward_layernorm");
        _postFeedForwardNorm = Norm("post_feedforward_layernorm");
        double scaling = Math.Pow(config.QueryPreAttnScalar ?? config.HeadDim, -0.5);
        _attention = new Attention(weights, $"{prefix}.self_attn", new AttentionOptions(config.HiddenSize, config.NumHeads,
            config.NumKeyValueHeads, config.HeadDim, scaling, config.AttnLogitSoftcapping));
        _mlp = new GatedMlp(weights, $"{prefix}.mlp", config.HiddenSize, config.IntermediateSize, config.HiddenActivation);
        register_module("input_layernorm", _inputNorm);
        register_module("self_attn", _attention);
        register_module("post_attention_layernorm", _postAttentionNorm);
        register_module("pre_feedforward_layernorm", _preFeedForwardNorm);
        register_module("mlp", _mlp);
        register_module("post_feedforward_layernorm", _postFeedForwardNorm);
    }

    /// <summary>h ← h + PostNorm(Attn(Norm(h))); h ← h + PostFFNorm(MLP(PreFFNorm(h))).</summary>
    public override Tensor Forward(Tensor hidden, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        var mask = _index % 2 == 0 && context.SlidingAttentionMask is { } sliding ? sliding : context.FullAttentionMask;
        var h = hidden + _postAttentionNorm.forward(_attention.Forward(_inputNorm.forward(hidden), context, _index, mask));
        h = h + _postFeedForwardNorm.forward(_mlp.forward(_preFeedForwardNorm.forward(h)));
        return h.MoveToOuterDisposeScope();
    }
}
