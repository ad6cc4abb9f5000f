namespace SasDashboard.Steering.Datasets;

/// <summary>
/// One MMLU question: four options (A–D) and the index of the right one. <paramref name="Subject"/> is the file's
/// subject (e.g. <c>abstract_algebra</c>); <paramref name="Index"/> is the 0-based position within its split.
/// </summary>
public sealed record MultipleChoiceItem(int Index, string Subject, string Question, IReadOnlyList<string> Options,
    int CorrectIndex)
{
    public char CorrectLetter => (char)('A' + CorrectIndex);
}
