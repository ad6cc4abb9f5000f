using System.Text.RegularExpressions;

namespace SasDashboard.Steering.Datasets;

/// <summary>
/// The CAA convention for multiple-choice text: the options are the last lines of the question, each starting with
/// "(A)", "(B)", … (optionally indented: " (A) Yes"), and answers are written "(A)".
/// </summary>
internal static partial class LetteredChoices
{
    [GeneratedRegex(@"^\s*\(([A-Z])\)(.*)$")]
    private static partial Regex ChoiceLine();

    [GeneratedRegex(@"^\s*(?:\((?<letter>[A-Z])\)|(?<letter>[A-Z]))\s*$")]
    private static partial Regex Answer();

    /// <summary>
    /// The choices at the end of <paramref name="question"/>: from the last line that starts "(A)", each following
    /// "(next letter)" line opens a choice and any other line continues the previous choice's text. Null when there
    /// are fewer than two choices.
    /// </summary>
    public static IReadOnlyList<AnswerChoice>? Parse(string question)
    {
        var lines = question.ReplaceLineEndings("\n").Split('\n');
        int first = Array.FindLastIndex(lines, line => ChoiceLine().Match(line) is { Success: true } m && m.Groups[1].Value == "A");
        if (first < 0) return null;
        var choices = new List<(char Letter, List<string> Lines)>();
        for (int i = first; i < lines.Length; i++)
        {
            var match = ChoiceLine().Match(lines[i]);
            char expected = (char)('A' + choices.Count);
            if (match.Success && match.Groups[1].Value[0] == expected)
                choices.Add((expected, [match.Groups[2].Value]));
            else
                choices[^1].Lines.Add(lines[i]);
        }
        return choices.Count < 2 ? null : choices.Select(c => new AnswerChoice(c.Letter, string.Join('\n', c.Lines).Trim())).ToList();
    }

    /// <summary>
    /// The letters of a record's two answer fields (e.g. matching / not matching), which must be distinct letters
    /// among <paramref name="choices"/>. An answer is written "(A)" or, as some derived datasets do, "A"; surrounding
    /// spaces are ignored.
    /// </summary>
    public static (char First, char Second) RequiredAnswerPair(JsonRecord record, string firstField, string secondField,
        IReadOnlyList<AnswerChoice> choices)
    {
        char first = RequiredAnswer(record, firstField, choices);
        char second = RequiredAnswer(record, secondField, choices);
        return first != second ? (first, second) : throw record.Fail($"{firstField} and {secondField} are both ({first})");
    }

    private static char RequiredAnswer(JsonRecord record, string field, IReadOnlyList<AnswerChoice> choices)
    {
        var answer = record.RequiredString(field);
        return Answer().Match(answer) is { Success: true } match && choices.Any(c => c.Letter == match.Groups["letter"].Value[0])
            ? match.Groups["letter"].Value[0]
            : throw record.Fail($"{field} '{answer}' is not among the choices {Describe(choices)}");
    }

    private static string Describe(IEnumerable<AnswerChoice> choices) => string.Join(", ", choices.Select(c => $"({c.Letter})"));
}
