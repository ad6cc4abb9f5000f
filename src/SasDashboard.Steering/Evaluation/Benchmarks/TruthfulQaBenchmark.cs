using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// TruthfulQA MC1 and MC2 from answer log-likelihoods (<see cref="TruthfulQaPrompts"/>): every distinct answer of an
/// item is scored once, as the continuation of "Q: …\nA:", λ-batched.
/// </summary>
internal sealed class TruthfulQaBenchmark : IPreparedBenchmark
{
    private readonly BenchmarkContext _context;
    private readonly IReadOnlyList<TruthfulQaItem> _items;
    private readonly IReadOnlyList<ContinuationPrompt> _sequences;
    /// <summary>Per item, the index in <see cref="_sequences"/> of each distinct answer.</summary>
    private readonly IReadOnlyList<Dictionary<string, int>> _answerIndex;

    public TruthfulQaBenchmark(BenchmarkContext context, TruthfulQaDataset dataset, int? limit)
    {
        _context = context;
        DatasetHash = dataset.ContentHash;
        _items = dataset.Items.Take(limit ?? int.MaxValue).ToList();
        var sequences = new List<ContinuationPrompt>();
        var answerIndex = new List<Dictionary<string, int>>();
        foreach (var item in _items)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var target in item.Mc1Targets.Concat(item.Mc2Targets))
            {
                if (index.ContainsKey(target.Answer)) continue;
                index[target.Answer] = sequences.Count;
                sequences.Add(ContinuationPrompt.For(context.Tokenizer, TruthfulQaPrompts.Question(item),
                    TruthfulQaPrompts.AnswerContinuation(target.Answer)));
            }
            answerIndex.Add(index);
        }
        _sequences = sequences;
        _answerIndex = answerIndex;
    }

    public string DatasetHash { get; }

    public int ItemCount => _items.Count;

    public Task<IReadOnlyList<BenchmarkScore>> ScoreAsync(SteeringHook? hook, IReadOnlyList<double> lambdas,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        var logLikelihoods = _context.LogLikelihoods(_sequences, hook, lambdas, progress, cancellationToken);
        IReadOnlyList<BenchmarkScore> scores = logLikelihoods.Select(perSequence =>
        {
            var results = _items.Select((item, i) =>
            {
                List<AnswerLikelihood> Score(IEnumerable<AnswerTarget> targets) => targets
                    .Select(t => new AnswerLikelihood(t.Answer, t.IsTrue, perSequence[_answerIndex[i][t.Answer]])).ToList();
                return new TruthfulQaItemResult(item.Index, item.Question, item.Category, Score(item.Mc1Targets), Score(item.Mc2Targets));
            }).ToList();
            return new BenchmarkScore(TruthfulQaAggregate.Of(results), results);
        }).ToList();
        return Task.FromResult(scores);
    }
}
