using System.Text.Json;

namespace SasDashboard.Steering.Datasets;

/// <summary>One object of a JSON array of records, with accessors that name the file and record when a field is wrong.</summary>
internal readonly struct JsonRecord(JsonElement element, string path, int number)
{
    public JsonElement Element => element;

    /// <summary>1-based position of the record in its file.</summary>
    public int Number => number;

    public string RequiredString(string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Fail($"'{name}' must be a string, found {Describe(value.ValueKind)}")
            : throw Fail($"missing '{name}'");

    public string? OptionalString(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? RequiredString(name) : null;

    public JsonElement RequiredObject(string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Object
                ? value
                : throw Fail($"'{name}' must be an object, found {Describe(value.ValueKind)}")
            : throw Fail($"missing '{name}'");

    public bool Has(string name) => element.TryGetProperty(name, out _);

    public DatasetFormatException Fail(string problem) => new(path, number, null, problem);

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>Parses files that hold one JSON array of record objects (the CAA and TruthfulQA JSON formats).</summary>
internal static class JsonRecords
{
    public static IReadOnlyList<T> Parse<T>(byte[] bytes, string path, Func<JsonRecord, T> map)
    {
        using var document = ParseDocument(bytes, path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
            throw new DatasetFormatException(path, $"expected a JSON array of records, found {JsonRecord.Describe(root.ValueKind)}");
        if (root.GetArrayLength() == 0) throw new DatasetFormatException(path, "the file holds no records");
        var items = new List<T>(root.GetArrayLength());
        foreach (var element in root.EnumerateArray())
        {
            var record = new JsonRecord(element, path, items.Count + 1);
            if (element.ValueKind != JsonValueKind.Object)
                throw record.Fail($"expected an object, found {JsonRecord.Describe(element.ValueKind)}");
            items.Add(map(record));
        }
        return items;
    }

    /// <summary>Names of the first record's fields: enough to tell the record formats apart.</summary>
    public static IReadOnlySet<string> FirstRecordFields(byte[] bytes, string path)
    {
        using var document = ParseDocument(bytes, path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0 || root[0].ValueKind != JsonValueKind.Object)
            throw new DatasetFormatException(path, "expected a non-empty JSON array of record objects");
        return root[0].EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    private static JsonDocument ParseDocument(byte[] bytes, string path)
    {
        var json = DatasetFile.WithoutBom(bytes);
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty) throw new DatasetFormatException(path, "the file is empty");
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            int? line = e.LineNumber is { } zeroBased ? (int)zeroBased + 1 : null;
            var at = e.BytePositionInLine is { } column ? $" at byte {column + 1} of the line" : "";
            throw new DatasetFormatException(path, null, line, $"not valid JSON{at} ({Reason(e)})", e);
        }
    }

    /// <summary>The parser's explanation without its own 0-based position suffix, which would contradict ours.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        int suffix = new[] { message.IndexOf(" Path:", StringComparison.Ordinal), message.IndexOf(" LineNumber:", StringComparison.Ordinal) }
            .Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..suffix].TrimEnd(' ', '.', '|');
    }
}
