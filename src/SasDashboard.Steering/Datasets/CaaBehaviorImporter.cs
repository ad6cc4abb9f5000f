namespace SasDashboard.Steering.Datasets;

/// <summary>
/// Imports CAA A/B files: records <c>{question, answer_matching_behavior, answer_not_matching_behavior}</c> whose
/// choices are lettered lines inside the question. Answers may be written "(A)" or "A"; both must be distinct
/// letters among the question's choices.
/// </summary>
public static class CaaBehaviorImporter
{
    public static async Task<BehaviorDataset> ImportAsync(string path, CancellationToken ct)
    {
        var bytes = await DatasetFile.ReadAsync(path, ct).ConfigureAwait(false);
        var items = JsonRecords.Parse(bytes, path, ParseItem);
        return new BehaviorDataset(CaaFolderLayout.BehaviorName(path), path, ContentHash.OfBytes(bytes), items);
    }

    private static BehaviorItem ParseItem(JsonRecord record)
    {
        var question = record.RequiredString("question");
        var choices = LetteredChoices.Parse(question)
            ?? throw record.Fail("the question has no lettered choices (at least two lines starting \"(A)\", \"(B)\")");
        var (matching, notMatching) = LetteredChoices.RequiredAnswerPair(record, "answer_matching_behavior",
            "answer_not_matching_behavior", choices);
        return new BehaviorItem(record.Number - 1, question, matching, notMatching, choices);
    }
}
