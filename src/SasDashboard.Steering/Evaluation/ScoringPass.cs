using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Evaluation;

/// <summary>
/// The forward pass behind the scorers, in one of two modes. Plain: one row per input, with fixed hooks (or none).
/// λ-batched: one row per input and λ, λ-major (row = λ index × batch + input). Steering after block L leaves blocks
/// 0…L unchanged, so those run once per batch on the inputs alone; their output is replicated for every λ and the
/// hook's <see cref="SteeringHook.RowMultipliers"/> gives each copy its λ. Either way a batch holds up to batch-size
/// inputs, and every pass about batch-size rows: above the steered layer the inputs go in chunks of batch size / λ
/// count, each with all its λ copies.
/// </summary>
internal sealed class ScoringPass
{
    private readonly CausalLanguageModel _model;
    private readonly IReadOnlyList<IResidualStreamHook>? _hooks;
    private readonly SteeringHook? _sweepHook;
    private readonly IReadOnlyList<double> _lambdas;

    private ScoringPass(CausalLanguageModel model, IReadOnlyList<IResidualStreamHook>? hooks, SteeringHook? sweepHook,
        IReadOnlyList<double> lambdas)
    {
        _model = model;
        _hooks = hooks;
        _sweepHook = sweepHook;
        _lambdas = lambdas;
    }

    public static ScoringPass Plain(CausalLanguageModel model, IReadOnlyList<IResidualStreamHook>? hooks) =>
        new(model, hooks, null, [1.0]);

    public static ScoringPass Sweep(CausalLanguageModel model, SteeringHook hook, IReadOnlyList<double> lambdas)
    {
        if (lambdas.Count == 0) throw new ArgumentException("a sweep needs at least one λ", nameof(lambdas));
        if (hook.Layers.Count == 0) throw new ArgumentException("the steering hook has no terms", nameof(hook));
        return new ScoringPass(model, null, hook, lambdas);
    }

    public CausalLanguageModel Model => _model;

    /// <summary>Rows per input: the number of λ, or 1.</summary>
    public int Repeats => _lambdas.Count;

    /// <summary>
    /// Runs <paramref name="scoreBatch"/> on consecutive batches of up to <paramref name="batchSize"/> inputs, without
    /// gradients and in a dispose scope per batch, checking for cancellation between batches. <paramref name="scoreBatch"/>
    /// returns one value per row (λ-major); the result is indexed [λ][input].
    /// </summary>
    public T[][] Run<TInput, T>(IReadOnlyList<TInput> inputs, int batchSize, Func<IReadOnlyList<TInput>, T[]> scoreBatch,
        string stage, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int k = Repeats;
        var results = Enumerable.Range(0, k).Select(_ => new T[inputs.Count]).ToArray();
        using var noGrad = no_grad();
        for (int start = 0; start < inputs.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = inputs.Skip(start).Take(batchSize).ToList();
            using (NewDisposeScope())
            {
                var rows = scoreBatch(batch);
                for (int l = 0; l < k; l++)
                for (int i = 0; i < batch.Count; i++)
                    results[l][start + i] = rows[l * batch.Count + i];
            }
            progress?.Report(new ScoringProgress(stage, start + batch.Count, inputs.Count));
        }
        return results;
    }

    /// <summary>
    /// The residual stream after the last block, <c>[Repeats × batch, tokens, hidden]</c>, for left-padded
    /// <paramref name="ids"/> <c>[batch, tokens]</c>. <paramref name="promptLength"/> is where generated (or scored
    /// continuation) tokens start, for steering that applies to generated tokens only; null means the whole sequence.
    /// </summary>
    public Tensor FinalHidden(Tensor ids, Tensor mask, long? promptLength)
    {
        if (_sweepHook is null)
        {
            using var context = _model.Prepare(ids, mask, promptLength: promptLength);
            return _model.RunLayers(_model.Embed(ids), context, 0, _model.NumLayers, _hooks);
        }

        int k = Repeats, firstSteered = _sweepHook.Layers.Min();
        long batch = ids.shape[0], tokens = ids.shape[1], hidden = _model.Config.HiddenSize;
        Tensor shared;
        using (var context = _model.Prepare(ids, mask, promptLength: promptLength))
            shared = _model.RunLayers(_model.Embed(ids), context, 0, firstSteered + 1);

        long chunk = Math.Max(1, batch / k);
        var parts = new List<Tensor>();
        for (long start = 0; start < batch; start += chunk)
        {
            long size = Math.Min(chunk, batch - start);
            using var scope = NewDisposeScope();
            var steered = SteeredAbove(firstSteered, ids.narrow(0, start, size), mask.narrow(0, start, size),
                shared.narrow(0, start, size), promptLength);
            parts.Add(steered.view(k, size, tokens, hidden).MoveToOuterDisposeScope());
        }
        return cat(parts, 1).view(k * batch, tokens, hidden);
    }

    /// <summary>Every λ's copy of <paramref name="shared"/>, steered and run through the blocks above the steered layer.</summary>
    private Tensor SteeredAbove(int firstSteered, Tensor ids, Tensor mask, Tensor shared, long? promptLength)
    {
        int k = Repeats;
        using var context = _model.Prepare(ids.repeat(k, 1), mask.repeat(k, 1), promptLength: promptLength);
        _sweepHook!.RowMultipliers = RowLambdas(_lambdas, (int)ids.shape[0], _model.Target.Device);
        try
        {
            var steered = _sweepHook.OnResidual(firstSteered, shared.repeat(k, 1, 1), context);
            return _model.RunLayers(steered, context, firstSteered + 1, _model.NumLayers, [_sweepHook]);
        }
        finally
        {
            _sweepHook.RowMultipliers.Dispose();
            _sweepHook.RowMultipliers = null;
        }
    }

    /// <summary>Each λ repeated for its <paramref name="rowsPerLambda"/> rows, λ-major, <c>[λ count × rows]</c>.</summary>
    public static Tensor RowLambdas(IReadOnlyList<double> lambdas, int rowsPerLambda, Device device) =>
        tensor(lambdas.SelectMany(l => Enumerable.Repeat((float)l, rowsPerLambda)).ToArray()).to(device);
}
