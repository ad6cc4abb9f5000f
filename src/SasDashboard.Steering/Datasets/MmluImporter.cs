namespace SasDashboard.Steering.Datasets;

/// <summary>
/// Imports the MMLU CSV release: a folder with <c>dev/</c>, <c>val/</c>, <c>test/</c> (any present) holding
/// <c>&lt;subject&gt;_&lt;split&gt;.csv</c> files without header, columns question, A, B, C, D, answer letter.
/// The path may also be the folder that contains the release's <c>data/</c> folder. Other folders
/// (<c>auxiliary_train/</c>) and non-CSV files are ignored.
/// </summary>
public static class MmluImporter
{
    private const int ColumnCount = 6;
    private static readonly string[] AnswerLetters = ["A", "B", "C", "D"];

    public static async Task<MmluDataset> ImportAsync(string path, CancellationToken ct)
    {
        var root = FindRoot(path) ?? throw new DatasetFormatException(path,
            "not an MMLU folder: expected dev/, val/ or test/ with <subject>_<split>.csv files, or a data/ folder holding them");
        var files = new List<(string RelativePath, byte[] Bytes)>();
        var splits = new Dictionary<MmluSplit, IReadOnlyList<MultipleChoiceItem>>();
        foreach (var split in Enum.GetValues<MmluSplit>())
        {
            var folder = Path.Combine(root, SplitFolder(split));
            if (!Directory.Exists(folder)) continue;
            var items = new List<MultipleChoiceItem>();
            foreach (var file in Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal))
            {
                var bytes = await DatasetFile.ReadAsync(file, ct).ConfigureAwait(false);
                files.Add(($"{SplitFolder(split)}/{Path.GetFileName(file)}", bytes));
                items.AddRange(ParseFile(file, bytes, split, firstIndex: items.Count));
            }
            splits[split] = items;
        }
        if (files.Count == 0)
            throw new DatasetFormatException(root, "no <subject>_<split>.csv files in dev/, val/ or test/");
        return new MmluDataset(path, ContentHash.OfFolder(files), splits);
    }

    /// <summary>The folder holding the split folders: <paramref name="path"/> itself or its <c>data/</c> child.</summary>
    internal static string? FindRoot(string path) =>
        new[] { path, Path.Combine(path, "data") }.FirstOrDefault(candidate =>
            Enum.GetValues<MmluSplit>().Any(split => Directory.Exists(Path.Combine(candidate, SplitFolder(split)))));

    private static string SplitFolder(MmluSplit split) => split.ToString().ToLowerInvariant();

    private static List<MultipleChoiceItem> ParseFile(string file, byte[] bytes, MmluSplit split, int firstIndex)
    {
        var suffix = $"_{SplitFolder(split)}.csv";
        var name = Path.GetFileName(file);
        if (!name.EndsWith(suffix, StringComparison.Ordinal) || name.Length == suffix.Length)
            throw new DatasetFormatException(file, $"expected a file name of the form <subject>{suffix}");
        var subject = name[..^suffix.Length];

        var records = CsvParser.Parse(DatasetFile.DecodeUtf8(bytes, file), file, headerRecords: 0);
        if (records.Count == 0) throw new DatasetFormatException(file, "the file holds no records");
        return records.Select((record, i) =>
        {
            var f = record.Fields;
            if (f.Count != ColumnCount)
                throw new DatasetFormatException(file, i + 1, record.LineNumber,
                    $"expected {ColumnCount} columns (question, A, B, C, D, answer letter), found {f.Count}");
            int correct = Array.IndexOf(AnswerLetters, f[5].Trim());
            if (correct < 0)
                throw new DatasetFormatException(file, i + 1, record.LineNumber, $"answer '{f[5]}' is not one of A, B, C, D");
            return new MultipleChoiceItem(firstIndex + i, subject, f[0], [f[1], f[2], f[3], f[4]], correct);
        }).ToList();
    }
}
