using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Evaluation.Benchmarks;

namespace SasDashboard.Steering.Tests.Evaluation;

public sealed class MetricTests
{
    [Fact]
    public void Estimate_IsTheMeanWithAStudentTInterval()
    {
        var estimate = Estimate.Of([1, 2, 3, 4])!;

        double halfWidth = 3.182446305 * Math.Sqrt(5.0 / 3 / 4);
        Assert.Equal((2.5, 4), (estimate.Mean, estimate.Count));
        Assert.Equal(2.5 - halfWidth, estimate.Lower!.Value, 12);
        Assert.Equal(2.5 + halfWidth, estimate.Upper!.Value, 12);
        Assert.Equal(new Estimate(7, null, null, 1), Estimate.Of([7]));
        Assert.Null(Estimate.Of([]));
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(10, 2.228)]
    [InlineData(30, 2.042)]
    [InlineData(100, 1.984)]
    [InlineData(100000, 1.960)]
    public void StudentT_MatchesTables(int degrees, double quantile) =>
        Assert.Equal(quantile, Estimate.StudentT975(degrees), 3);

    [Fact]
    public void PairedAnswer_ShareIsPositiveOverBoth()
    {
        var item = new PairedAnswerItemResult(0, "q", null, 'A', 'B', 0.3, 0.1);
        Assert.Equal(0.75, item.PositiveShare, 12);
        Assert.True(item.PositivePreferred);
        Assert.Equal(0.5, (item with { PositiveProbability = 0, NegativeProbability = 0 }).PositiveShare);
    }

    [Fact]
    public void Mmlu_PredictsTheMostLikelyLetter_AndAveragesSubjects()
    {
        MmluItemResult Item(string subject, char correct, params double[] p) => new(0, subject, "q", correct, p);
        var items = new[]
        {
            Item("b", 'C', 0.1, 0.2, 0.3, 0.2), Item("b", 'A', 0.1, 0.2, 0.3, 0.2), Item("a", 'D', 0.1, 0.1, 0.1, 0.2),
        };
        Assert.Equal(['C', 'C', 'D'], items.Select(i => i.PredictedLetter));
        Assert.Equal(0.375, items[0].CorrectShare, 12);

        var aggregate = MmluAggregate.Of(items);
        Assert.Equal(2.0 / 3, aggregate.Accuracy.Mean, 12);
        Assert.Equal([("a", 1.0), ("b", 0.5)], aggregate.Subjects.Select(s => (s.Category, s.Accuracy.Mean)));
        Assert.Equal(0.75, aggregate.MacroAccuracy, 12);
    }

    [Fact]
    public void TruthfulQa_Mc1NeedsTheTrueAnswerStrictlyFirst_Mc2IsTheTrueMass()
    {
        var mc1 = new[] { new AnswerLikelihood("t", true, -2), new AnswerLikelihood("f", false, -2) };
        var mc2 = new[] { new AnswerLikelihood("t", true, Math.Log(0.2)), new AnswerLikelihood("t2", true, Math.Log(0.1)),
            new AnswerLikelihood("f", false, Math.Log(0.3)) };
        var item = new TruthfulQaItemResult(0, "q", "", mc1, mc2);

        Assert.False(item.Mc1Correct);
        Assert.True((item with { Mc1 = [mc1[0] with { LogLikelihood = -1.9 }, mc1[1]] }).Mc1Correct);
        Assert.Equal(0.5, item.Mc2Score, 12);
    }
}
