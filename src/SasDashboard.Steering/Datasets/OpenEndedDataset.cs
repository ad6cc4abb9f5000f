namespace SasDashboard.Steering.Datasets;

/// <summary>
/// A CAA <c>test_dataset_open_ended.json</c>; <paramref name="Behavior"/> is named as for <see cref="BehaviorDataset"/>.
/// </summary>
public sealed record OpenEndedDataset(string Behavior, string SourcePath, string ContentHash,
    IReadOnlyList<OpenEndedItem> Items) : IBenchmarkDataset;
