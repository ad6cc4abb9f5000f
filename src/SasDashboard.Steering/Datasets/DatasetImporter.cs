namespace SasDashboard.Steering.Datasets;

/// <summary>
/// The entry point for <c>--benchmark KIND --dataset PATH</c>: tells which format a path holds and imports it.
/// A folder is an MMLU release; a <c>.csv</c> file is <c>TruthfulQA.csv</c>; a JSON file is recognised by the fields
/// of its first record.
/// </summary>
public static class DatasetImporter
{
    public static async Task<DatasetFormat> DetectFormatAsync(string path, CancellationToken ct)
    {
        if (Directory.Exists(path))
            return MmluImporter.FindRoot(path) is not null
                ? DatasetFormat.MmluCsvFolder
                : throw new DatasetFormatException(path,
                    "a folder must be an MMLU release (dev/, val/, test/); for other benchmarks pass the file itself");
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase)) return DatasetFormat.TruthfulQaCsv;

        var fields = JsonRecords.FirstRecordFields(await DatasetFile.ReadAsync(path, ct).ConfigureAwait(false), path);
        if (fields.Contains("answer_matching_behavior")) return DatasetFormat.CaaBehaviorAb;
        if (fields.Contains("mc1_targets")) return DatasetFormat.TruthfulQaMcTask;
        if (fields.Contains("prompt") && fields.Contains("correct")) return DatasetFormat.CaaAnswerPairs;
        if (fields.Contains("question")) return DatasetFormat.CaaOpenEnded;
        throw new DatasetFormatException(path,
            $"unrecognised records (fields {string.Join(", ", fields)}); expected CAA A/B, CAA open-ended, "
            + "CAA prompt/correct/incorrect or TruthfulQA mc_task records");
    }

    /// <summary>The benchmarks a format can feed: CAA's two-answer files serve MMLU and TruthfulQA alike.</summary>
    public static IReadOnlyList<BenchmarkKind> KindsServedBy(DatasetFormat format) => format switch
    {
        DatasetFormat.CaaBehaviorAb => [BenchmarkKind.Behavior],
        DatasetFormat.CaaOpenEnded => [BenchmarkKind.OpenEnded],
        DatasetFormat.CaaAnswerPairs => [BenchmarkKind.Mmlu, BenchmarkKind.TruthfulQa],
        DatasetFormat.MmluCsvFolder => [BenchmarkKind.Mmlu],
        DatasetFormat.TruthfulQaCsv or DatasetFormat.TruthfulQaMcTask => [BenchmarkKind.TruthfulQa],
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static async Task<IBenchmarkDataset> ImportAsync(string path, CancellationToken ct) =>
        await ImportAsync(await DetectFormatAsync(path, ct).ConfigureAwait(false), path, ct).ConfigureAwait(false);

    /// <summary>Imports <paramref name="path"/> for <paramref name="kind"/>, refusing a file of another benchmark.</summary>
    public static async Task<IBenchmarkDataset> ImportAsync(BenchmarkKind kind, string path, CancellationToken ct)
    {
        var format = await DetectFormatAsync(path, ct).ConfigureAwait(false);
        var served = KindsServedBy(format);
        if (!served.Contains(kind))
            throw new DatasetFormatException(path,
                $"this is a {format} dataset, which serves {string.Join(" or ", served.Select(k => k.CliName()))}, not {kind.CliName()}");
        return await ImportAsync(format, path, ct).ConfigureAwait(false);
    }

    private static async Task<IBenchmarkDataset> ImportAsync(DatasetFormat format, string path, CancellationToken ct) =>
        format switch
        {
            DatasetFormat.CaaBehaviorAb => await CaaBehaviorImporter.ImportAsync(path, ct).ConfigureAwait(false),
            DatasetFormat.CaaOpenEnded => await CaaOpenEndedImporter.ImportAsync(path, ct).ConfigureAwait(false),
            DatasetFormat.CaaAnswerPairs => await CaaAnswerPairImporter.ImportAsync(path, ct).ConfigureAwait(false),
            DatasetFormat.MmluCsvFolder => await MmluImporter.ImportAsync(path, ct).ConfigureAwait(false),
            DatasetFormat.TruthfulQaCsv => await TruthfulQaCsvImporter.ImportAsync(path, ct).ConfigureAwait(false),
            DatasetFormat.TruthfulQaMcTask => await TruthfulQaMcTaskImporter.ImportAsync(path, ct).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
}
