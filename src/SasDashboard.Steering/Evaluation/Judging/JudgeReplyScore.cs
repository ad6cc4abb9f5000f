using System.Globalization;
using System.Text.RegularExpressions;

namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>
/// Reads the score out of a judge's reply: the last "Score: N" (also "**Score:** N", "score = N", "Score: N/10"),
/// else a reply that is just a number ("7", "7/10"). Scores outside 0–10 are rejected, not clamped: they mean the
/// judge did not follow the scale.
/// </summary>
internal static partial class JudgeReplyScore
{
    public const double Min = 0;
    public const double Max = 10;

    [GeneratedRegex(@"\bscore\b[\s*_:=]*(-?\d+(?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"^\s*(-?\d+(?:\.\d+)?)\s*(?:/\s*10)?\s*\.?\s*$")]
    private static partial Regex LoneNumber();

    public static (double? Score, string? Error) Parse(string reply)
    {
        var matches = ScoreLine().Matches(reply);
        var number = matches.Count > 0 ? matches[^1].Groups[1].Value
            : LoneNumber().Match(reply) is { Success: true } lone ? lone.Groups[1].Value
            : null;
        if (number is null) return (null, "no score found in the reply (expected a line \"Score: N\")");
        double score = double.Parse(number, CultureInfo.InvariantCulture);
        return score is >= Min and <= Max
            ? (score, null)
            : (null, $"score {number} is outside the scale {Min}–{Max}");
    }
}
