namespace SasDashboard.Steering.Datasets;

/// <summary>
/// The MMLU CSV release. Items of each split are ordered by subject (ordinal) and then by row; a split whose folder
/// is absent has no items.
/// </summary>
public sealed class MmluDataset : IBenchmarkDataset
{
    private readonly IReadOnlyDictionary<MmluSplit, IReadOnlyList<MultipleChoiceItem>> _splits;
    private readonly Dictionary<(MmluSplit, string), IReadOnlyList<MultipleChoiceItem>> _bySubject;

    internal MmluDataset(string sourcePath, string contentHash,
        IReadOnlyDictionary<MmluSplit, IReadOnlyList<MultipleChoiceItem>> splits)
    {
        SourcePath = sourcePath;
        ContentHash = contentHash;
        _splits = splits;
        _bySubject = splits
            .SelectMany(split => split.Value.GroupBy(item => item.Subject).Select(group => (split.Key, group)))
            .ToDictionary(x => (x.Key, x.group.Key), x => (IReadOnlyList<MultipleChoiceItem>)x.group.ToList());
        Subjects = splits.Values.SelectMany(items => items.Select(item => item.Subject))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public string SourcePath { get; }
    public string ContentHash { get; }

    /// <summary>Every subject present in any split, in ordinal order.</summary>
    public IReadOnlyList<string> Subjects { get; }

    public IReadOnlyList<MmluSplit> AvailableSplits => _splits.Keys.Order().ToList();

    public IReadOnlyList<MultipleChoiceItem> Items(MmluSplit split) => _splits.GetValueOrDefault(split) ?? [];

    public IReadOnlyList<MultipleChoiceItem> Items(MmluSplit split, string subject) =>
        _bySubject.GetValueOrDefault((split, subject)) ?? [];
}
