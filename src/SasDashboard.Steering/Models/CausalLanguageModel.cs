using SasDashboard.Steering.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// What every decoder-only architecture here shares: token embedding, a stack of <see cref="DecoderLayer"/>s, the final
/// RMSNorm, the (possibly tied) output head, rotary tables, masks and residual-stream hooks. Parameters carry the
/// Hugging Face names (<c>model.layers.3.mlp.up_proj.weight</c>), so a model saves and loads as a transformers checkpoint.
/// </summary>
public abstract class CausalLanguageModel : nn.Module
{
    private readonly Stack _stack;
    private readonly ParameterHolder _head;
    private readonly RotaryEmbedding _rotary;
    private readonly bool[] _slidingLayers;

    public ModelConfig Config { get; }
    public ComputeTarget Target { get; }
    /// <summary>The checkpoint directory this model was loaded from; null for a model built in memory.</summary>
    public string? SourceDirectory { get; internal set; }
    public int NumLayers => Config.NumLayers;

    /// <param name="createLayer">Builds decoder layer <c>i</c> from the weights under <c>model.layers.i</c>.</param>
    /// <param name="isSlidingLayer">Which layers attend only within <see cref="ModelConfig.SlidingWindow"/>.</param>
    protected CausalLanguageModel(string name, ModelConfig config, IWeightSource weights, ComputeTarget target,
        Func<IWeightSource, int, DecoderLayer> createLayer, Func<int, bool> isSlidingLayer) : base(name)
    {
        Config = config;
        Target = target;
        _stack = new Stack(config, weights, createLayer);
        register_module("model", _stack);
        if (config.TieWordEmbeddings)
        {
            _head = _stack.EmbedTokens;
        }
        else
        {
            _head = new ParameterHolder(weights.Load("lm_head.weight", [config.VocabSize, config.HiddenSize], WeightKind.Linear));
            register_module("lm_head", _head);
        }
        _rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta, config.RopeScaling, target.Device);
        _slidingLayers = Enumerable.Range(0, config.NumLayers)
            .Select(i => config.SlidingWindow is not null && isSlidingLayer(i)).ToArray();
    }

    /// <summary>Token embeddings <c>[batch, tokens, hidden]</c> as the first block sees them.</summary>
    public virtual Tensor Embed(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var flat = _stack.EmbedTokens.Weight.index_select(0, inputIds.reshape(-1));
        return flat.view(inputIds.shape[0], inputIds.shape[1], Config.HiddenSize).MoveToOuterDisposeScope();
    }

    /// <summary>Applied to the head's output; Gemma-2 soft-caps here.</summary>
    protected virtual Tensor TransformLogits(Tensor logits) => logits;

    /// <summary>
    /// Positions, rotary tables and masks for a pass over <paramref name="inputIds"/> <c>[batch, tokens]</c>.
    /// <paramref name="attentionMask"/> covers the cached tokens and these (<c>[batch, past + tokens]</c>, 1 = real,
    /// 0 = left padding); null means no padding.
    /// </summary>
    public ForwardContext Prepare(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null,
        long? promptLength = null)
    {
        using var scope = NewDisposeScope();
        long batch = inputIds.shape[0], tokens = inputIds.shape[1];
        long past = cache?.Length ?? 0, keys = past + tokens;
        var device = Target.Device;
        var mask = attentionMask is null ? ones(batch, keys, ScalarType.Int64, device) : attentionMask.to(ScalarType.Int64, device).alias();
        if (mask.shape[1] != keys)
            throw new ArgumentException($"attention mask covers {mask.shape[1]} tokens, expected {keys} (cached {past} + new {tokens})");

        var positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1).narrow(1, past, tokens);
        var (cos, sin) = _rotary.Compute(positions, Target.DType);
        var queryIndex = arange(past, keys, ScalarType.Int64, device).unsqueeze(1);
        var keyIndex = arange(0, keys, ScalarType.Int64, device).unsqueeze(0);
        var allowed = (keyIndex <= queryIndex).unsqueeze(0).unsqueeze(0)
            .logical_and((mask == 1).unsqueeze(1).unsqueeze(1));
        double blocked = finfo(Target.DType).min;
        Tensor Additive(Tensor allow) => zeros(allow.shape, Target.DType, device).masked_fill(allow.logical_not(), blocked);
        Tensor? sliding = null;
        if (Config.SlidingWindow is { } window && _slidingLayers.Any(s => s))
            sliding = Additive(allowed.logical_and((queryIndex - keyIndex < window).unsqueeze(0).unsqueeze(0)));

        var context = new ForwardContext
        {
            PositionIds = positions.MoveToOuterDisposeScope(),
            AttentionMask = mask.MoveToOuterDisposeScope(),
            RotaryCos = cos.MoveToOuterDisposeScope(),
            RotarySin = sin.MoveToOuterDisposeScope(),
            FullAttentionMask = Additive(allowed).MoveToOuterDisposeScope(),
            SlidingAttentionMask = sliding?.MoveToOuterDisposeScope(),
            Cache = cache,
            PastLength = past,
            PromptLength = promptLength ?? keys,
        };
        return context;
    }

    internal bool IsSlidingLayer(int layer) => _slidingLayers[layer];

    /// <summary>
    /// Runs blocks <paramref name="fromLayer"/> to <paramref name="toLayer"/> (exclusive) and the hooks after each.
    /// Steering at layer L leaves the blocks below L unchanged, so sweeps run those once and resume from here.
    /// </summary>
    public Tensor RunLayers(Tensor hidden, ForwardContext context, int fromLayer, int toLayer,
        IReadOnlyList<IResidualStreamHook>? hooks = null)
    {
        var current = hidden;
        for (int i = fromLayer; i < toLayer; i++)
        {
            var next = _stack.Layers[i].Forward(current, context);
            if (!ReferenceEquals(current, hidden)) current.Dispose();
            current = next;
            if (hooks is null) continue;
            foreach (var hook in hooks)
            {
                if (!hook.Layers.Contains(i)) continue;
                var edited = hook.OnResidual(i, current, context);
                if (ReferenceEquals(edited, current)) continue;
                current.Dispose();
                current = edited;
            }
        }
        return current;
    }

    /// <summary>Final norm, output head and the architecture's logit transform, in the model dtype.</summary>
    public Tensor Logits(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var normed = _stack.Norm.forward(hidden);
        return TransformLogits(nn.functional.linear(normed, _head.Weight)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A full pass: logits <c>[batch, tokens, vocab]</c> (or <c>[batch, 1, vocab]</c> with
    /// <paramref name="lastTokenOnly"/>). With a <paramref name="cache"/>, this pass's keys and values are stored.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null,
        IReadOnlyList<IResidualStreamHook>? hooks = null, bool lastTokenOnly = false, long? promptLength = null)
    {
        using var scope = NewDisposeScope();
        using var context = Prepare(inputIds, attentionMask, cache, promptLength);
        var hidden = RunLayers(Embed(inputIds), context, 0, NumLayers, hooks);
        if (lastTokenOnly) hidden = hidden.narrow(1, hidden.shape[1] - 1, 1);
        var logits = Logits(hidden);
        cache?.Advance(inputIds.shape[1]);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>The parameters as they would be saved, by Hugging Face name (the tied head is not listed twice).</summary>
    public IEnumerable<(string Name, Parameter Weight)> NamedWeights() => named_parameters();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rotary.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The transformers <c>model</c> submodule: embeddings, layers, final norm.</summary>
    private sealed class Stack : nn.Module
    {
        public ParameterHolder EmbedTokens { get; }
        public ModuleList<DecoderLayer> Layers { get; }
        public RmsNorm Norm { get; }

        public Stack(ModelConfig config, IWeightSource weights, Func<IWeightSource, int, DecoderLayer> createLayer)
            : base("model")
        {
            EmbedTokens = new ParameterHolder(
                weights.Load("model.embed_tokens.weight", [config.VocabSize, config.HiddenSize], WeightKind.Embedding));
            register_module("embed_tokens", EmbedTokens);
            Layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, config.NumLayers).Select(i => createLayer(weights, i)).ToArray());
            register_module("layers", Layers);
            Norm = new RmsNorm(weights, "model.norm", config.HiddenSize, config.RmsNormEps, unitOffset: config.IsGemma2);
            register_module("norm", Norm);
        }
    }

    /// <summary>Holds a loaded tensor under the name <c>weight</c>, as nn.Embedding and nn.Linear do.</summary>
    private sealed class ParameterHolder : nn.Module
    {
        public Parameter Weight { get; }

        public ParameterHolder(Tensor loaded) : base(nameof(ParameterHolder))
        {
            Weight = Projection.AsParameter(loaded);
            register_parameter("weight", Weight);
        }
    }
}
