namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// A two-letter item: a CAA A/B behaviour question (positive = the answer matching the behaviour) or a CAA answer-pair
/// question (positive = the correct answer), scored by the next-token probabilities of the two letters after "(".
/// <paramref name="Category"/> is the answer-pair file's category; null for behaviours.
/// </summary>
public sealed record PairedAnswerItemResult(int Index, string Question, string? Category, char PositiveLetter,
    char NegativeLetter, double PositiveProbability, double NegativeProbability) : ItemResult(Index)
{
    /// <summary>P(positive) / (P(positive) + P(negative)): CAA's behaviour metric; ½ when both underflow to 0.</summary>
    public double PositiveShare => PositiveProbability + NegativeProbability is var sum and > 0 ? PositiveProbability / sum : 0.5;

    /// <summary>Whether the positive letter is the more likely of the two.</summary>
    public bool PositivePreferred => PositiveProbability > NegativeProbability;
}

/// <summary>
/// Means over a paired-answer benchmark's items: <see cref="PositiveShare"/> is CAA's metric (for behaviours, the
/// behaviour score; for answer pairs, the correct answer's share), <see cref="Accuracy"/> the fraction of items where
/// the positive letter is the more likely. Answer-pair files also get the accuracy per category and its macro average.
/// </summary>
public sealed record PairedAnswerAggregate(int Items, Estimate PositiveShare, Estimate PositiveProbability,
    Estimate NegativeProbability, Estimate Accuracy, IReadOnlyList<CategoryAccuracy> Categories, double? MacroAccuracy)
    : BenchmarkAggregate(Items)
{
    public static PairedAnswerAggregate Of(IReadOnlyList<PairedAnswerItemResult> items)
    {
        var categorised = items.Where(item => item.Category is not null).ToList();
        IReadOnlyList<CategoryAccuracy> categories = [];
        double? macro = null;
        if (categorised.Count > 0)
            (categories, macro) = CategoryAccuracy.Of(categorised, item => item.Category!, item => item.PositivePreferred);
        return new PairedAnswerAggregate(items.Count,
            Estimate.OfNonEmpty(items.Select(item => item.PositiveShare)),
            Estimate.OfNonEmpty(items.Select(item => item.PositiveProbability)),
            Estimate.OfNonEmpty(items.Select(item => item.NegativeProbability)),
            Estimate.OfNonEmpty(items.Select(item => item.PositivePreferred ? 1.0 : 0.0)),
            categories, macro);
    }

    public override string Describe() =>
        $"positive share {Show(PositiveShare)}, accuracy {Show(Accuracy)}, P(positive) {Show(PositiveProbability)}, "
        + $"P(negative) {Show(NegativeProbability)} ({Items} items)";
}
