namespace SasDashboard.Steering.Datasets;

/// <summary>
/// Imports CAA's two-answer files: records <c>{prompt, correct, incorrect, category}</c>, where the prompt ends in
/// lettered choices and <c>correct</c>/<c>incorrect</c> are letters written "(A)" (as in the CAA repository) or "A".
/// The files' <c>correct_full_text</c>/<c>incorrect_full_text</c> repeat the choice texts and are not needed.
/// </summary>
public static class CaaAnswerPairImporter
{
    public static async Task<AnswerPairDataset> ImportAsync(string path, CancellationToken ct)
    {
        var bytes = await DatasetFile.ReadAsync(path, ct).ConfigureAwait(false);
        var items = JsonRecords.Parse(bytes, path, ParseItem);
        return new AnswerPairDataset(Path.GetFileNameWithoutExtension(path), path, ContentHash.OfBytes(bytes), items);
    }

    private static AnswerPairItem ParseItem(JsonRecord record)
    {
        var prompt = record.RequiredString("prompt");
        var choices = LetteredChoices.Parse(prompt)
            ?? throw record.Fail("the prompt has no lettered choices (at least two lines starting \"(A)\", \"(B)\")");
        var (correct, incorrect) = LetteredChoices.RequiredAnswerPair(record, "correct", "incorrect", choices);
        return new AnswerPairItem(record.Number - 1, prompt, correct, incorrect, choices, record.RequiredString("category"));
    }
}
