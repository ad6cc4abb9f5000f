namespace SasDashboard.Steering.Datasets;

/// <summary>
/// A CAA two-answer file; <paramref name="Name"/> is the file name without extension (<c>mmlu</c>, <c>truthful_qa</c>).
/// </summary>
public sealed record AnswerPairDataset(string Name, string SourcePath, string ContentHash,
    IReadOnlyList<AnswerPairItem> Items) : IBenchmarkDataset;
