using System.Text.Json;

namespace SasDashboard.Steering.Datasets;

/// <summary>
/// Imports TruthfulQA's <c>mc_task.json</c>: records <c>{question, mc1_targets: {answer: 0|1}, mc2_targets: {answer: 0|1}}</c>.
/// The answers keep the file's order. MC1 must have exactly one true answer, MC2 at least one; each needs a false one.
/// </summary>
public static class TruthfulQaMcTaskImporter
{
    public static async Task<TruthfulQaDataset> ImportAsync(string path, CancellationToken ct)
    {
        var bytes = await DatasetFile.ReadAsync(path, ct).ConfigureAwait(false);
        var items = JsonRecords.Parse(bytes, path, ParseItem);
        return new TruthfulQaDataset(path, ContentHash.OfBytes(bytes), items);
    }

    private static TruthfulQaItem ParseItem(JsonRecord record)
    {
        var question = record.RequiredString("question");
        var mc1 = Targets(record, "mc1_targets");
        var mc2 = Targets(record, "mc2_targets");
        int mc1True = mc1.Count(t => t.IsTrue);
        if (mc1True != 1) throw record.Fail($"mc1_targets must have exactly one true answer, found {mc1True}");
        return new TruthfulQaItem(record.Number - 1, question, Category: "", mc1.Single(t => t.IsTrue).Answer,
            mc2.Where(t => t.IsTrue).Select(t => t.Answer).ToList(), mc2.Where(t => !t.IsTrue).Select(t => t.Answer).ToList())
        {
            Mc1Targets = mc1,
            Mc2Targets = mc2,
        };
    }

    private static IReadOnlyList<AnswerTarget> Targets(JsonRecord record, string field)
    {
        var targets = new List<AnswerTarget>();
        foreach (var property in record.RequiredObject(field).EnumerateObject())
        {
            if (targets.Any(t => t.Answer == property.Name))
                throw record.Fail($"{field} lists the answer '{property.Name}' twice");
            bool isTrue = property.Value switch
            {
                { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out int label) && label is 0 or 1 => label == 1,
                var v => throw record.Fail($"{field} '{property.Name}' must be 0 or 1, found {v.GetRawText()}"),
            };
            targets.Add(new AnswerTarget(property.Name, isTrue));
        }
        if (!targets.Any(t => t.IsTrue)) throw record.Fail($"{field} has no true answer");
        if (targets.All(t => t.IsTrue)) throw record.Fail($"{field} has no false answer");
        return targets;
    }
}
