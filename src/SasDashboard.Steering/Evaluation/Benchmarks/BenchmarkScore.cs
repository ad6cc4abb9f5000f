namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>A benchmark's result at one steering strength: the aggregate and the per-item results it summarises.</summary>
internal sealed record BenchmarkScore(BenchmarkAggregate Aggregate, IReadOnlyList<ItemResult> Items);
