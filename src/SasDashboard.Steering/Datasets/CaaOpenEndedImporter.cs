using System.Text.Json;

namespace SasDashboard.Steering.Datasets;

/// <summary>Imports CAA open-ended files: records <c>{question}</c>, any other fields kept as they are.</summary>
public static class CaaOpenEndedImporter
{
    public static async Task<OpenEndedDataset> ImportAsync(string path, CancellationToken ct)
    {
        var bytes = await DatasetFile.ReadAsync(path, ct).ConfigureAwait(false);
        var items = JsonRecords.Parse(bytes, path, ParseItem);
        return new OpenEndedDataset(CaaFolderLayout.BehaviorName(path), path, ContentHash.OfBytes(bytes), items);
    }

    private static OpenEndedItem ParseItem(JsonRecord record)
    {
        var question = record.RequiredString("question");
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in record.Element.EnumerateObject().Where(p => p.Name != "question"))
            extra[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : property.Value.GetRawText();
        return new OpenEndedItem(record.Number - 1, question, extra);
    }
}
