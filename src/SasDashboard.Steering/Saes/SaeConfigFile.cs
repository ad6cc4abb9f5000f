using System.Text.Json;
using SasDashboard.Steering.Checkpoints;

namespace SasDashboard.Steering.Saes;

/// <summary>A JSON config of an SAE release (SAELens <c>cfg.json</c>, Llama Scope <c>hyperparams.json</c>), read with
/// errors that name the file and the field. A field is looked up at the top level, then under each fallback object
/// (SAELens 6 moved hook fields into <c>meta</c>).</summary>
internal sealed class SaeConfigFile
{
    private readonly JsonElement _root;
    private readonly string[] _fallbackObjects;

    public string Path { get; }

    private SaeConfigFile(string path, JsonElement root, string[] fallbackObjects)
    {
        Path = path;
        _root = root;
        _fallbackObjects = fallbackObjects;
    }

    public static SaeConfigFile Read(string path, params string[] fallbackObjects)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: file not found");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{path}: expected a JSON object");
            return new SaeConfigFile(path, document.RootElement.Clone(), fallbackObjects);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The field's value, unless it is absent or null.</summary>
    public JsonElement? Find(string name)
    {
        foreach (var scope in _fallbackObjects.Prepend(null))
        {
            var holder = _root;
            if (scope is not null && !(_root.TryGetProperty(scope, out holder) && holder.ValueKind == JsonValueKind.Object))
                continue;
            if (holder.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null) return value;
        }
        return null;
    }

    public string? String(string name) => Find(name) is { } value ? Expect(name, value, JsonValueKind.String).GetString() : null;

    public bool? Bool(string name) => Find(name) is { } value
        ? value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new CheckpointException($"{Path}: '{name}' must be true or false, not {value.GetRawText()}")
        : null;

    public double? Number(string name) => Find(name) is { } value ? Expect(name, value, JsonValueKind.Number).GetDouble() : null;

    public int? Int(string name) => Find(name) is { } value
        ? Expect(name, value, JsonValueKind.Number).TryGetInt32(out var number)
            ? number
            : throw new CheckpointException($"{Path}: '{name}' must be an integer, not {value.GetRawText()}")
        : null;

    /// <summary>An integer field of an object field, e.g. <c>activation_fn_kwargs.k</c>.</summary>
    public int? Int(string objectName, string name) =>
        Find(objectName) is { ValueKind: JsonValueKind.Object } holder && holder.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt32(out var number)
                ? number
                : throw new CheckpointException($"{Path}: '{objectName}.{name}' must be an integer, not {value.GetRawText()}")
            : null;

    /// <summary>A number field of an object field, e.g. <c>dataset_average_activation_norm.in</c>.</summary>
    public double? Number(string objectName, string name) =>
        Find(objectName) is { ValueKind: JsonValueKind.Object } holder && holder.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    public int RequiredInt(string name) => Int(name) ?? throw Missing(name);

    public double RequiredNumber(string name) => Number(name) ?? throw Missing(name);

    public CheckpointException Missing(string name, string? why = null) =>
        new($"{Path}: missing '{name}'{(why is null ? "" : $" ({why})")}");

    private JsonElement Expect(string name, JsonElement value, JsonValueKind kind) =>
        value.ValueKind == kind
            ? value
            : throw new CheckpointException($"{Path}: '{name}' must be a {kind.ToString().ToLowerInvariant()}, not {value.GetRawText()}");
}
