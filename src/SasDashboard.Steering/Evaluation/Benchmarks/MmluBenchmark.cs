using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// The MMLU CSV release's test split in the original evaluation's plain-text format, 0-shot or k-shot with the
/// subject's first k dev items as examples; the answer is the most likely of " A" to " D" after "Answer:".
/// </summary>
internal sealed class MmluBenchmark : IPreparedBenchmark
{
    private readonly BenchmarkContext _context;
    private readonly IReadOnlyList<MultipleChoiceItem> _items;
    private readonly IReadOnlyList<NextTokenPrompt> _prompts;

    public MmluBenchmark(BenchmarkContext context, MmluDataset dataset, int shots, int? limit)
    {
        _context = context;
        DatasetHash = dataset.ContentHash;
        var test = dataset.Items(MmluSplit.Test);
        if (test.Count == 0) throw new DatasetFormatException(dataset.SourcePath, "the MMLU folder has no test split (test/*_test.csv)");
        _items = limit is { } n ? SpreadOverSubjects(test, n) : test;
        _prompts = _items.Select(item => NextTokenPrompt.For(context.Tokenizer,
            shots == 0 ? MmluPrompts.ZeroShot(item) : MmluPrompts.KShot(dataset, item, shots), MmluPrompts.AnswerContinuations)).ToList();
    }

    public string DatasetHash { get; }

    public int ItemCount => _items.Count;

    public Task<IReadOnlyList<BenchmarkScore>> ScoreAsync(SteeringHook? hook, IReadOnlyList<double> lambdas,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        var probabilities = _context.NextTokenProbabilities(_prompts, hook, lambdas, progress, cancellationToken);
        IReadOnlyList<BenchmarkScore> scores = probabilities.Select(perItem =>
        {
            var results = _items.Select((item, i) =>
                new MmluItemResult(item.Index, item.Subject, item.Question, item.CorrectLetter, perItem[i])).ToList();
            return new BenchmarkScore(MmluAggregate.Of(results), results);
        }).ToList();
        return Task.FromResult(scores);
    }

    /// <summary>The first <paramref name="limit"/> items taking each subject's items in turn, so that a limit keeps every subject.</summary>
    private static IReadOnlyList<MultipleChoiceItem> SpreadOverSubjects(IReadOnlyList<MultipleChoiceItem> items, int limit) =>
        items.GroupBy(item => item.Subject)
            .SelectMany(subject => subject.Select((item, rank) => (item, rank)))
            .OrderBy(x => x.rank).ThenBy(x => x.item.Subject, StringComparer.Ordinal)
            .Take(limit).Select(x => x.item)
            .OrderBy(item => item.Subject, StringComparer.Ordinal).ThenBy(item => item.Index)
            .ToList();
}
