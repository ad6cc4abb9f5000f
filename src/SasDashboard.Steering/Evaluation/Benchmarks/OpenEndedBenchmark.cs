using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation.Judging;
using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// Open-ended prompts: an answer of up to N tokens is generated for each prompt (in the chat template) under steering,
/// its perplexity is measured under the unsteered model, and, when a judge is configured, the judge scores it with the
/// behaviour's rubric and, separately, for coherence. The λ values of a sweep share generation batches (one row per
/// prompt and λ); without a judge, texts and perplexities are still recorded and the aggregate says that scores are absent.
/// </summary>
internal sealed class OpenEndedBenchmark : IPreparedBenchmark
{
    private readonly BenchmarkContext _context;
    private readonly IReadOnlyList<OpenEndedItem> _items;
    private readonly IReadOnlyList<IReadOnlyList<int>> _promptIds;
    private readonly GenerationOptions _generation;
    private readonly JudgeRubric? _behaviorRubric;
    private readonly string? _judgeNote;

    public OpenEndedBenchmark(BenchmarkContext context, OpenEndedDataset dataset, int maxNewTokens, int? limit)
    {
        _context = context;
        DatasetHash = dataset.ContentHash;
        _items = dataset.Items.Take(limit ?? int.MaxValue).ToList();
        _promptIds = _items.Select(item => context.Tokenizer.Encode(context.Template.Format(item.Question))).ToList();
        _generation = new GenerationOptions(maxNewTokens, context.Options.Sampling);
        _behaviorRubric = JudgeRubrics.ForBehavior(dataset.Behavior);
        _judgeNote = context.Judge is null
            ? $"judge scores absent: no judge configured (set {JudgeOptions.BaseUrlVariable} and {JudgeOptions.ModelVariable})"
            : _behaviorRubric is null
                ? $"behaviour scores absent: no rubric for behaviour '{dataset.Behavior}' (known: {string.Join(", ", JudgeRubrics.Behaviors.Select(r => r.Id))})"
                : null;
    }

    public string DatasetHash { get; }

    public int ItemCount => _items.Count;

    public async Task<IReadOnlyList<BenchmarkScore>> ScoreAsync(SteeringHook? hook, IReadOnlyList<double> lambdas,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        var generated = Generate(hook, lambdas, progress, cancellationToken);
        var all = generated.SelectMany(perItem => perItem).ToList();
        var logLikelihoods = ContinuationScorer.LogLikelihoods(_context.Model,
            all.Select(g => new ContinuationPrompt(g.PromptIds, g.GeneratedIds)).ToList(), _context.Tokenizer.PadId,
            _context.Options.BatchSize, "perplexity", progress, cancellationToken);
        var texts = all.Select(g => _context.Tokenizer.Decode(g.GeneratedIds)).ToList();
        var (behavior, coherence) = await JudgeAsync(texts, progress, cancellationToken).ConfigureAwait(false);

        return generated.Select((perItem, l) =>
        {
            var results = perItem.Select((g, i) =>
            {
                int row = l * _items.Count + i;
                return new OpenEndedItemResult(_items[i].Index, _items[i].Question, texts[row], g.GeneratedIds.Count,
                    g.StoppedAtEos, Math.Exp(-logLikelihoods[row] / g.GeneratedIds.Count), behavior[row], coherence[row]);
            }).ToList();
            return new BenchmarkScore(OpenEndedAggregate.Of(results, _judgeNote), results);
        }).ToList();
    }

    /// <returns>Per λ (one entry for a null hook) and item, the generated tokens.</returns>
    private GeneratedSequence[][] Generate(SteeringHook? hook, IReadOnlyList<double> lambdas, IProgress<ScoringProgress>? progress,
        CancellationToken cancellationToken)
    {
        var (model, tokenizer) = (_context.Model, _context.Tokenizer);
        int k = hook is null ? 1 : lambdas.Count, perBatch = Math.Max(1, _context.Options.BatchSize / k);
        var results = Enumerable.Range(0, k).Select(_ => new GeneratedSequence[_items.Count]).ToArray();
        for (int start = 0; start < _items.Count; start += perBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = _promptIds.Skip(start).Take(perBatch).ToList();
            var rows = Enumerable.Range(0, k).SelectMany(_ => chunk).ToList(); // λ-major, as RowLambdas
            if (hook is not null) hook.RowMultipliers = ScoringPass.RowLambdas(lambdas, chunk.Count, model.Target.Device);
            try
            {
                var sequences = TokenGenerator.Generate(model, rows, _generation, tokenizer.EosIds, tokenizer.PadId,
                    hook is null ? null : [hook], cancellationToken: cancellationToken);
                for (int l = 0; l < k; l++)
                for (int i = 0; i < chunk.Count; i++)
                    results[l][start + i] = sequences[l * chunk.Count + i];
            }
            finally
            {
                if (hook is not null)
                {
                    hook.RowMultipliers?.Dispose();
                    hook.RowMultipliers = null;
                }
            }
            progress?.Report(new ScoringProgress("generating", start + chunk.Count, _items.Count));
        }
        return results;
    }

    /// <summary>All judgments at once (the judge limits how many requests are in flight); null where none is asked for.</summary>
    private async Task<(Judgment?[] Behavior, Judgment?[] Coherence)> JudgeAsync(IReadOnlyList<string> texts,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        var behavior = new Judgment?[texts.Count];
        var coherence = new Judgment?[texts.Count];
        if (_context.Judge is not { } judge) return (behavior, coherence);

        var requests = new List<(Judgment?[] Into, int Row, JudgeRubric Rubric)>();
        for (int row = 0; row < texts.Count; row++)
        {
            if (_behaviorRubric is not null) requests.Add((behavior, row, _behaviorRubric));
            requests.Add((coherence, row, JudgeRubrics.Coherence));
        }
        int done = 0;
        await Task.WhenAll(requests.Select(async request =>
        {
            string question = _items[request.Row % _items.Count].Question;
            request.Into[request.Row] = await judge.ScoreAsync(question, texts[request.Row], request.Rubric, cancellationToken)
                .ConfigureAwait(false);
            progress?.Report(new ScoringProgress("judging", Interlocked.Increment(ref done), requests.Count));
        })).ConfigureAwait(false);
        return (behavior, coherence);
    }
}
