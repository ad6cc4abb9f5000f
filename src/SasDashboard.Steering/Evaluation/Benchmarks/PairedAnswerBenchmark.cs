using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// CAA A/B behaviour questions and CAA answer-pair files (mmlu.json, truthful_qa.json), scored alike: the question in
/// the chat template, the answer prefilled with "(", and the next-token probabilities of the two letters.
/// </summary>
internal sealed class PairedAnswerBenchmark : IPreparedBenchmark
{
    private readonly BenchmarkContext _context;
    private readonly IReadOnlyList<Item> _items;
    private readonly IReadOnlyList<NextTokenPrompt> _prompts;

    private PairedAnswerBenchmark(BenchmarkContext context, string datasetHash, IReadOnlyList<Item> items)
    {
        _context = context;
        DatasetHash = datasetHash;
        _items = items;
        _prompts = items.Select(item => NextTokenPrompt.For(context.Tokenizer, context.Template, item.Prompt)).ToList();
    }

    public static PairedAnswerBenchmark ForBehaviors(BenchmarkContext context, BehaviorDataset dataset, int? limit) =>
        new(context, dataset.ContentHash,
            dataset.Items.Take(limit ?? int.MaxValue).Select(item => new Item(item.Index, item.Question, null, AbPrompt.For(item))).ToList());

    public static PairedAnswerBenchmark ForAnswerPairs(BenchmarkContext context, AnswerPairDataset dataset, int? limit) =>
        new(context, dataset.ContentHash,
            dataset.Items.Take(limit ?? int.MaxValue).Select(item => new Item(item.Index, item.Prompt, item.Category, AbPrompt.For(item))).ToList());

    public string DatasetHash { get; }

    public int ItemCount => _items.Count;

    public Task<IReadOnlyList<BenchmarkScore>> ScoreAsync(SteeringHook? hook, IReadOnlyList<double> lambdas,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        var probabilities = _context.NextTokenProbabilities(_prompts, hook, lambdas, progress, cancellationToken);
        IReadOnlyList<BenchmarkScore> scores = probabilities.Select(perItem =>
        {
            var results = _items.Select((item, i) => new PairedAnswerItemResult(item.Index, item.Question, item.Category,
                item.Prompt.PositiveLetter, item.Prompt.NegativeLetter, perItem[i][0], perItem[i][1])).ToList();
            return new BenchmarkScore(PairedAnswerAggregate.Of(results), results);
        }).ToList();
        return Task.FromResult(scores);
    }

    private sealed record Item(int Index, string Question, string? Category, AbPrompt Prompt);
}
