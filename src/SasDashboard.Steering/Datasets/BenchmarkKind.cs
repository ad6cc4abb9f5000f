namespace SasDashboard.Steering.Datasets;

/// <summary>The evaluations a dataset can feed (the CLI's <c>--benchmark</c>).</summary>
public enum BenchmarkKind
{
    Behavior,
    Mmlu,
    TruthfulQa,
    OpenEnded,
}

/// <summary>
/// The CLI spellings of <see cref="BenchmarkKind"/>: <c>behavior</c>, <c>mmlu</c>, <c>truthfulqa</c>, <c>open-ended</c>.
/// </summary>
public static class BenchmarkKinds
{
    private static readonly Dictionary<BenchmarkKind, string> Names = new()
    {
        [BenchmarkKind.Behavior] = "behavior",
        [BenchmarkKind.Mmlu] = "mmlu",
        [BenchmarkKind.TruthfulQa] = "truthfulqa",
        [BenchmarkKind.OpenEnded] = "open-ended",
    };

    public static IReadOnlyCollection<string> CliNames => Names.Values;

    public static string CliName(this BenchmarkKind kind) => Names[kind];

    public static BenchmarkKind? FromCliName(string name)
    {
        foreach (var (kind, cliName) in Names)
            if (string.Equals(cliName, name, StringComparison.OrdinalIgnoreCase)) return kind;
        return null;
    }
}
