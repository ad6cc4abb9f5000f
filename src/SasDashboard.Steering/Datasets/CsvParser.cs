using System.Text;

namespace SasDashboard.Steering.Datasets;

/// <summary>One CSV record: its fields and the 1-based line it starts on.</summary>
internal sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: comma-separated fields; a field in double quotes may hold commas, line breaks and doubled quotes
/// (<c>""</c> for <c>"</c>); records end at CRLF, LF or CR. Empty lines are skipped. As Python's csv module does, a
/// quote inside an unquoted field is kept as a literal character, so hand-edited files with <c>5" screen</c> import.
/// </summary>
internal static class CsvParser
{
    /// <param name="headerRecords">Records before the data (1 for a header line), not counted in record numbers.</param>
    public static IReadOnlyList<CsvRecord> Parse(string text, string path, int headerRecords)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;

        DatasetFormatException Error(int errorLine, string problem) =>
            new(path, records.Count >= headerRecords ? records.Count + 1 - headerRecords : null, errorLine, problem);
        bool AtLineBreak() => i < text.Length && text[i] is '\r' or '\n';
        void SkipLineBreak()
        {
            i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            line++;
        }

        while (i < text.Length)
        {
            if (fields.Count == 0 && AtLineBreak())
            {
                SkipLineBreak();
                recordLine = line;
                continue;
            }
            if (text[i] == '"')
            {
                int quoteLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw Error(quoteLine, "a quoted field is never closed (missing '\"')");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) line++;
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] != ',' && !AtLineBreak())
                    throw Error(line,
                        $"unexpected '{text[i]}' after the closing quote of a field (a quote inside a quoted field is written \"\")");
            }
            else
            {
                while (i < text.Length && text[i] != ',' && !AtLineBreak()) field.Append(text[i++]);
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                if (i < text.Length && !AtLineBreak()) continue;
                fields.Add("");
            }
            records.Add(new CsvRecord(recordLine, fields.ToArray()));
            fields.Clear();
            if (i < text.Length) SkipLineBreak();
            recordLine = line;
        }
        return records;
    }
}
