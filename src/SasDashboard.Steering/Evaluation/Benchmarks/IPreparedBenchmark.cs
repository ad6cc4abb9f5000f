using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>A benchmark whose dataset is imported and whose prompts are tokenized, ready to score many times.</summary>
internal interface IPreparedBenchmark
{
    string DatasetHash { get; }

    int ItemCount { get; }

    /// <summary>
    /// The scores with <paramref name="hook"/> at each λ of <paramref name="lambdas"/> (its terms' strengths times λ),
    /// λ-batched where the metric allows; with a null hook, one score of the unsteered model.
    /// </summary>
    Task<IReadOnlyList<BenchmarkScore>> ScoreAsync(SteeringHook? hook, IReadOnlyList<double> lambdas,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken);
}
