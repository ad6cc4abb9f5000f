namespace SasDashboard.Steering.Datasets;

/// <summary>
/// Imports <c>TruthfulQA.csv</c>: a header row (<c>Type,Category,Question,Best Answer,Correct Answers,Incorrect
/// Answers,Source</c>; the 2025 revision adds <c>Best Incorrect Answer</c>), columns located by header name, UTF-8
/// with or without BOM, CRLF or LF. Answer lists are separated by ';' (written "; "); each answer is trimmed.
/// </summary>
public static class TruthfulQaCsvImporter
{
    private const string CategoryColumn = "Category";
    private const string QuestionColumn = "Question";
    private const string BestAnswerColumn = "Best Answer";
    private const string CorrectAnswersColumn = "Correct Answers";
    private const string IncorrectAnswersColumn = "Incorrect Answers";
    private const string BestIncorrectAnswerColumn = "Best Incorrect Answer";

    private static readonly string[] RequiredColumns =
        [CategoryColumn, QuestionColumn, BestAnswerColumn, CorrectAnswersColumn, IncorrectAnswersColumn];

    public static async Task<TruthfulQaDataset> ImportAsync(string path, CancellationToken ct)
    {
        var bytes = await DatasetFile.ReadAsync(path, ct).ConfigureAwait(false);
        var records = CsvParser.Parse(DatasetFile.DecodeUtf8(bytes, path), path, headerRecords: 1);
        if (records.Count == 0) throw new DatasetFormatException(path, "the file is empty");
        var header = records[0];
        var columns = header.Fields.Select((name, i) => (Name: name.Trim(), i))
            .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        var missing = RequiredColumns.Where(name => !columns.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw new DatasetFormatException(path, null, header.LineNumber,
                $"the header lacks the column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} "
                + $"(found: {string.Join(", ", header.Fields)})");
        if (records.Count == 1) throw new DatasetFormatException(path, "the file holds no records after the header");

        var items = records.Skip(1).Select((record, i) =>
        {
            DatasetFormatException Fail(string problem) => new(path, i + 1, record.LineNumber, problem);
            if (record.Fields.Count != header.Fields.Count)
                throw Fail($"expected {header.Fields.Count} columns as in the header, found {record.Fields.Count}");
            string Field(string column) => record.Fields[columns[column]].Trim();
            string Required(string column) => Field(column) is { Length: > 0 } value ? value : throw Fail($"'{column}' is empty");

            var incorrect = SplitAnswers(Field(IncorrectAnswersColumn));
            if (incorrect.Count == 0) throw Fail($"'{IncorrectAnswersColumn}' is empty");
            string? bestIncorrect = columns.ContainsKey(BestIncorrectAnswerColumn) && Field(BestIncorrectAnswerColumn) is { Length: > 0 } b
                ? b
                : null;
            return TruthfulQaItem.FromAnswers(i, Required(QuestionColumn), Field(CategoryColumn), Required(BestAnswerColumn),
                SplitAnswers(Field(CorrectAnswersColumn)), incorrect, bestIncorrect);
        }).ToList();
        return new TruthfulQaDataset(path, ContentHash.OfBytes(bytes), items);
    }

    private static IReadOnlyList<string> SplitAnswers(string list) =>
        list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
