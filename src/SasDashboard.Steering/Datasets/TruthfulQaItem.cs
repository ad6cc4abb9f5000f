namespace SasDashboard.Steering.Datasets;

/// <summary>
/// One TruthfulQA question. <see cref="Mc1Targets"/> (one true answer, the rest false) and <see cref="Mc2Targets"/>
/// (all true and all false answers) are the answer sets scored by likelihood, in order. From <c>TruthfulQA.csv</c>
/// they are built by <see cref="FromAnswers"/>; from <c>mc_task.json</c> they are the file's, in its order, and
/// <paramref name="Category"/> is empty because that file has none. <paramref name="Index"/> is 0-based.
/// </summary>
public sealed record TruthfulQaItem(int Index, string Question, string Category, string BestAnswer,
    IReadOnlyList<string> CorrectAnswers, IReadOnlyList<string> IncorrectAnswers)
{
    public required IReadOnlyList<AnswerTarget> Mc1Targets { get; init; }
    public required IReadOnlyList<AnswerTarget> Mc2Targets { get; init; }

    /// <summary>The 2025 revision's <c>Best Incorrect Answer</c> (for its binary-choice setting); null where absent.</summary>
    public string? BestIncorrectAnswer { get; init; }

    /// <summary>
    /// The CSV's targets: MC1 is the best answer followed by the incorrect answers; MC2 is the correct answers
    /// (the best answer first when the list lacks it) followed by the incorrect answers.
    /// </summary>
    public static TruthfulQaItem FromAnswers(int index, string question, string category, string bestAnswer,
        IReadOnlyList<string> correctAnswers, IReadOnlyList<string> incorrectAnswers, string? bestIncorrectAnswer = null)
    {
        var incorrect = incorrectAnswers.Select(answer => new AnswerTarget(answer, false)).ToList();
        var mc2True = correctAnswers.Contains(bestAnswer) ? correctAnswers : [bestAnswer, .. correctAnswers];
        return new TruthfulQaItem(index, question, category, bestAnswer, correctAnswers, incorrectAnswers)
        {
            Mc1Targets = [new AnswerTarget(bestAnswer, true), .. incorrect],
            Mc2Targets = [.. mc2True.Select(answer => new AnswerTarget(answer, true)), .. incorrect],
            BestIncorrectAnswer = bestIncorrectAnswer,
        };
    }
}
