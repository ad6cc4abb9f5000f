namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// One MMLU question: the next-token probabilities of " A" to " D" after "Answer:" (over the whole vocabulary). The
/// prediction is the most likely of the four letters.
/// </summary>
public sealed record MmluItemResult(int Index, string Subject, string Question, char CorrectLetter,
    IReadOnlyList<double> LetterProbabilities) : ItemResult(Index)
{
    public char PredictedLetter
    {
        get
        {
            int best = 0;
            for (int i = 1; i < LetterProbabilities.Count; i++)
                if (LetterProbabilities[i] > LetterProbabilities[best]) best = i;
            return (char)('A' + best);
        }
    }

    public bool Correct => PredictedLetter == CorrectLetter;

    /// <summary>The correct letter's probability divided by the four letters' total: a smooth capability signal.</summary>
    public double CorrectShare => LetterProbabilities.Sum() is var sum and > 0 ? LetterProbabilities[CorrectLetter - 'A'] / sum : 0.25;
}

/// <summary>MMLU accuracy over all items (micro), per subject and averaged over subjects (macro).</summary>
public sealed record MmluAggregate(int Items, Estimate Accuracy, Estimate CorrectShare, IReadOnlyList<CategoryAccuracy> Subjects,
    double MacroAccuracy) : BenchmarkAggregate(Items)
{
    public static MmluAggregate Of(IReadOnlyList<MmluItemResult> items)
    {
        var (subjects, macro) = CategoryAccuracy.Of(items, item => item.Subject, item => item.Correct);
        return new MmluAggregate(items.Count, Estimate.OfNonEmpty(items.Select(item => item.Correct ? 1.0 : 0.0)),
            Estimate.OfNonEmpty(items.Select(item => item.CorrectShare)), subjects, macro);
    }

    public override string Describe() =>
        $"accuracy {Show(Accuracy)}, macro {Number(MacroAccuracy)} over {Subjects.Count} subjects, correct share {Show(CorrectShare)} ({Items} items)";
}
