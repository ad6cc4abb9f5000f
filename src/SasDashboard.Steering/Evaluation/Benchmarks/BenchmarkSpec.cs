using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// One benchmark of a sweep: which evaluation, on which dataset file or folder, and its settings.
/// <paramref name="Limit"/> keeps the first N items (for MMLU, N spread over the subjects in turn);
/// <paramref name="Shots"/> is the number of dev examples in MMLU prompts (0 or 5 as published; MMLU CSV only);
/// <paramref name="MaxNewTokens"/> is the length of open-ended answers.
/// </summary>
public sealed record BenchmarkSpec(BenchmarkKind Kind, string Dataset, int? Limit = null, int Shots = 0, int MaxNewTokens = 100)
{
    /// <summary>A stable text naming the benchmark with the settings that change its results.</summary>
    public string Key =>
        $"{Kind.CliName()}:{Dataset}"
        + (Shots > 0 ? $"|shots={Shots}" : "")
        + (Kind == BenchmarkKind.OpenEnded ? $"|tokens={MaxNewTokens}" : "")
        + (Limit is { } limit ? $"|limit={limit}" : "");

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work.</summary>
    public void Validate()
    {
        if (Limit is < 1) throw new ArgumentException($"the item limit must be ≥ 1, is {Limit}");
        if (Shots < 0) throw new ArgumentException($"shots must be ≥ 0, is {Shots}");
        if (Shots > 0 && Kind != BenchmarkKind.Mmlu) throw new ArgumentException($"shots apply to MMLU only, not {Kind.CliName()}");
        if (MaxNewTokens < 1) throw new ArgumentException($"max new tokens must be ≥ 1, is {MaxNewTokens}");
    }
}
