namespace SasDashboard.Steering.Datasets;

/// <summary>
/// One CAA A/B question. <paramref name="Question"/> is the record's text unchanged (choices included);
/// <paramref name="Choices"/> are parsed from it. <paramref name="Index"/> is the 0-based position in the file.
/// </summary>
public sealed record BehaviorItem(int Index, string Question, char MatchingLetter, char NotMatchingLetter,
    IReadOnlyList<AnswerChoice> Choices);
