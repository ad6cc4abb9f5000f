using System.Text.Json;

namespace SasDashboard.Steering.Tokenization;

/// <summary>Reads the JSON files of a model directory; every problem becomes a <see cref="TokenizerException"/> naming the file and field.</summary>
internal static class JsonFile
{
    /// <summary>Parses a file whose top level must be an object. The caller disposes the document.</summary>
    public static JsonDocument Read(string path)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new TokenizerException(path, $"malformed JSON ({e.Message})", e);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new TokenizerException(path, $"expected a JSON object at the top level, found {kind}");
        }
        return document;
    }

    public static JsonDocument? ReadIfPresent(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>The field's value, or null when it is missing or JSON null.</summary>
    public static JsonElement? Field(this JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static string? StringField(this JsonElement parent, string name, string path) => parent.Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw WrongType(path, name, "a string", value),
    };

    public static bool? BoolField(this JsonElement parent, string name, string path) => parent.Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } value => throw WrongType(path, name, "true or false", value),
    };

    public static int? IntField(this JsonElement parent, string name, string path) => parent.Field(name) switch
    {
        null => null,
        { } value => ToInt(value, name, path),
    };

    /// <summary>A field that holds one integer or a list of them, as <c>eos_token_id</c> does.</summary>
    public static IReadOnlyList<int> IntListField(this JsonElement parent, string name, string path) => parent.Field(name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Select(item => ToInt(item, name, path)).ToList(),
        { } value => [ToInt(value, name, path)],
    };

    public static JsonElement? ObjectField(this JsonElement parent, string name, string path) => parent.Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => value,
        { } value => throw WrongType(path, name, "an object", value),
    };

    public static IEnumerable<JsonElement> ArrayField(this JsonElement parent, string name, string path) => parent.Field(name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } value => value.EnumerateArray(),
        { } value => throw WrongType(path, name, "a list", value),
    };

    public static TokenizerException WrongType(string path, string name, string expected, JsonElement found) =>
        new(path, $"'{name}' should be {expected}, found {found.ValueKind}: {Shorten(found.GetRawText())}");

    private static int ToInt(JsonElement value, string name, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : throw WrongType(path, name, "an integer", value);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
