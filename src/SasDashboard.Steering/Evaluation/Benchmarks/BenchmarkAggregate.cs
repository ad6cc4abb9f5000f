using System.Globalization;
using System.Text.Json.Serialization;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>A benchmark's summary over its items at one sweep point. Serialised with a <c>type</c> discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PairedAnswerAggregate), "paired_answer")]
[JsonDerivedType(typeof(MmluAggregate), "mmlu")]
[JsonDerivedType(typeof(TruthfulQaAggregate), "truthfulqa")]
[JsonDerivedType(typeof(OpenEndedAggregate), "open_ended")]
public abstract record BenchmarkAggregate(int Items)
{
    /// <summary>One line for people: the main figures with their intervals.</summary>
    public abstract string Describe();

    private protected static string Show(Estimate? estimate) => estimate switch
    {
        null => "n/a",
        { Lower: { } lower, Upper: { } upper } => $"{Number(estimate.Mean)} [{Number(lower)}, {Number(upper)}]",
        _ => Number(estimate.Mean),
    };

    private protected static string Number(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}

/// <summary>The accuracy within one category (MMLU subject, TruthfulQA category).</summary>
public sealed record CategoryAccuracy(string Category, Estimate Accuracy)
{
    /// <summary>Per category in ordinal order, and their unweighted mean (the macro average).</summary>
    public static (IReadOnlyList<CategoryAccuracy> Categories, double MacroAccuracy) Of<T>(IEnumerable<T> items,
        Func<T, string> category, Func<T, bool> correct)
    {
        var categories = items.GroupBy(category).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CategoryAccuracy(g.Key, Estimate.OfNonEmpty(g.Select(item => correct(item) ? 1.0 : 0.0))))
            .ToList();
        return (categories, categories.Average(c => c.Accuracy.Mean));
    }
}
