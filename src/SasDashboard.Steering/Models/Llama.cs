using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Llama (transformers' <c>LlamaForCausalLM</c>, Llama 2 and 3): pre-norm blocks with RMSNorm (<c>w · x̂</c>),
/// grouped-query attention with rotary positions (optionally Llama 3-scaled), SwiGLU, tied or separate head.
/// </summary>
public sealed class LlamaForCausalLM(ModelConfig config, IWeightSource weights, ComputeTarget target)
    : CausalLanguageModel(nameof(LlamaForCausalLM), config, weights, target,
        (w, i) => new LlamaDecoderLayer(config, w, i), isSlidingLayer: _ => false);

public sealed class LlamaDecoderLayer : DecoderLayer
{
    private readonly int _index;
    private readonly RmsNorm _inputNorm, _postAttentionNorm;
    private readonly Attention _attention;
    private readonly GatedMlp _mlp;

    public LlamaDecoderLayer(ModelConfig config, IWeightSource weights, int index) : base(nameof(LlamaDecoderLayer))
    {
        _index = index;
        string prefix = $"model.layers.{index}";
        _inputNorm = new RmsNorm(weights, $"{prefix}.input_layernorm", config.HiddenSize, config.RmsNormEps, unitOffset: false);
        _attention = new Attention(weights, $"{prefix}.self_attn", new AttentionOptions(config.HiddenSize, config.NumHeads,
            config.NumKeyValueHeads, config.HeadDim, Math.Pow(config.HeadDim, -0.5)));
        _postAttentionNorm = new RmsNorm(weights, $"{prefix}.post_attention_layernorm", config.HiddenSize, config.RmsNormEps,
            unitOffset: false);
        _mlp = new GatedMlp(weights, $"{prefix}.mlp", config.HiddenSize, config.IntermediateSize, config.HiddenActivation);
        register_module("input_layernorm", _inputNorm);
        register_module("self_attn", _attention);
        register_module("post_attention_layernorm", _postAttentionNorm);
        register_module("mlp", _mlp);
    }

    /// <summary>h ← h + Attn(Norm(h)); h ← h + MLP(Norm(h)).</summary>
    public override Tensor Forward(Tensor hidden, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        var h = hidden + _attention.Forward(_inputNorm.forward(hidden), context, _index, context.FullAttentionMask);
        h = h + _mlp.forward(_postAttentionNorm.forward(h));
        return h.MoveToOuterDisposeScope();
    }
}
