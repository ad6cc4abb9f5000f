namespace SasDashboard.Steering.Steering;

/// <summary>
/// What a sweep steers with: a composition of terms (one CAA or SAS vector, several together, single SAE features) and
/// the tokens it applies to. No terms means the unsteered model.
/// </summary>
public sealed record SteeringSetup(IReadOnlyList<SteeringTermSpec> Terms, SteeringPositions Positions)
{
    public static SteeringSetup None { get; } = new([], SteeringPositions.All);

    /// <summary>One saved vector at weight 1, on every token.</summary>
    public static SteeringSetup ForVector(string path) => new([new VectorTermSpec(path)], SteeringPositions.All);

    public bool IsNone => Terms.Count == 0;

    /// <summary>A stable text naming the setup: "none", or the terms' keys joined by "+" and the positions when not all.</summary>
    public string Key => IsNone
        ? "none"
        : string.Join("+", Terms.Select(term => term.Key)) + (Positions.Span == SteeringSpan.All ? "" : $"|positions={PositionsText}");

    /// <summary>The positions as the CLI writes them: all, generated or from:N.</summary>
    public string PositionsText => Positions.Span switch
    {
        SteeringSpan.All => "all",
        SteeringSpan.GeneratedOnly => "generated",
        _ => $"from:{Positions.Start}",
    };
}
