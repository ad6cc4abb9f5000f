using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Sweeps;

/// <summary>
/// A sweep point's result: the aggregate and every item behind it, the dataset's content hash (to tell which data was
/// evaluated), and the steering terms as read from their files (method, layer, τ, SAE) for charting.
/// </summary>
public sealed record PointResult(SweepPoint Point, string DatasetHash, IReadOnlyList<AppliedTerm> Steering,
    BenchmarkAggregate Aggregate, IReadOnlyList<ItemResult> Items);
