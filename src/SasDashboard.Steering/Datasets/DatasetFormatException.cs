namespace SasDashboard.Steering.Datasets;

/// <summary>
/// A benchmark file that cannot be imported as it is. The message names the file, the record (1-based; for CSV also
/// the line) and the problem, e.g. <c>test_dataset_ab.json, record 17: answer_matching_behavior '(C)' is not among
/// the choices (A), (B)</c>. Importers throw it before returning anything, so a bad file imports nothing.
/// </summary>
public sealed class DatasetFormatException : InputException
{
    public DatasetFormatException(string filePath, int? recordNumber, int? lineNumber, string problem,
        Exception? inner = null)
        : base(Describe(filePath, recordNumber, lineNumber, problem), inner)
    {
        FilePath = filePath;
        RecordNumber = recordNumber;
        LineNumber = lineNumber;
        Problem = problem;
    }

    public DatasetFormatException(string filePath, string problem, Exception? inner = null)
        : this(filePath, null, null, problem, inner)
    {
    }

    public string FilePath { get; }
    public int? RecordNumber { get; }
    public int? LineNumber { get; }
    public string Problem { get; }

    private static string Describe(string filePath, int? recordNumber, int? lineNumber, string problem)
    {
        var where = (recordNumber, lineNumber) switch
        {
            ({ } record, { } line) => $", record {record} (line {line})",
            ({ } record, null) => $", record {record}",
            (null, { } line) => $", line {line}",
            _ => "",
        };
        return $"{filePath}{where}: {problem}";
    }
}
