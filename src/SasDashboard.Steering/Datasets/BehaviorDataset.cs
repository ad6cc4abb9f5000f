namespace SasDashboard.Steering.Datasets;

/// <summary>
/// A CAA A/B file (<c>test_dataset_ab.json</c> or <c>generate_dataset.json</c>). <paramref name="Behavior"/> is the
/// CAA folder name (e.g. <c>sycophancy</c>), or the file name without extension outside the CAA layout.
/// </summary>
public sealed record BehaviorDataset(string Behavior, string SourcePath, string ContentHash,
    IReadOnlyList<BehaviorItem> Items) : IBenchmarkDataset;
