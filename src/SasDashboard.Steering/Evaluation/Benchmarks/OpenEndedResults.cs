using SasDashboard.Steering.Evaluation.Judging;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// One open-ended answer: the generated text, its perplexity under the unsteered model (exp of the mean negative
/// log-likelihood of the generated tokens, EOS included when generation stopped there, given the prompt), and the
/// judge's verdicts with their raw replies. A judgment is null when it was not asked for (no judge, or no rubric for
/// the behaviour); a judgment whose <see cref="Judgment.Score"/> is null failed, and says why.
/// </summary>
public sealed record OpenEndedItemResult(int Index, string Question, string Text, int GeneratedTokens, bool StoppedAtEos,
    double Perplexity, Judgment? Behavior, Judgment? Coherence) : ItemResult(Index);

/// <summary>
/// Open-ended means: the behaviour and coherence scores (0–10) over the items the judge scored, and the perplexity
/// over all items. <see cref="JudgeNote"/> says why judge scores are absent or incomplete; null when all were scored.
/// </summary>
public sealed record OpenEndedAggregate(int Items, Estimate? BehaviorScore, Estimate? Coherence, Estimate Perplexity,
    int FailedJudgments, string? JudgeNote) : BenchmarkAggregate(Items)
{
    public static OpenEndedAggregate Of(IReadOnlyList<OpenEndedItemResult> items, string? judgeNote)
    {
        var judgments = items.SelectMany(item => new[] { item.Behavior, item.Coherence }).OfType<Judgment>().ToList();
        int failed = judgments.Count(j => j.Score is null);
        string? note = failed == 0 ? judgeNote
            : $"{failed} of {judgments.Count} judgments failed (see the items' errors)" + (judgeNote is null ? "" : $"; {judgeNote}");
        return new OpenEndedAggregate(items.Count,
            Estimate.Of(items.Select(item => item.Behavior?.Score).OfType<double>()),
            Estimate.Of(items.Select(item => item.Coherence?.Score).OfType<double>()),
            Estimate.OfNonEmpty(items.Select(item => item.Perplexity)), failed, note);
    }

    public override string Describe() =>
        $"behaviour {Show(BehaviorScore)}, coherence {Show(Coherence)}, perplexity {Show(Perplexity)} ({Items} items)"
        + (JudgeNote is null ? "" : $"; {JudgeNote}");
}
