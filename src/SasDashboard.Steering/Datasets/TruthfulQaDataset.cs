namespace SasDashboard.Steering.Datasets;

/// <summary>TruthfulQA from <c>TruthfulQA.csv</c> or <c>mc_task.json</c>, in one representation.</summary>
public sealed record TruthfulQaDataset(string SourcePath, string ContentHash, IReadOnlyList<TruthfulQaItem> Items)
    : IBenchmarkDataset;
