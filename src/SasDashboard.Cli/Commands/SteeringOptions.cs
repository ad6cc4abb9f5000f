using System.CommandLine;
using System.Globalization;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Cli.Commands;

/// <summary>
/// <c>--steer FILE[:WEIGHT]</c> (repeatable), <c>--feature SAE:INDEX:STRENGTH</c> (repeatable), <c>--layer</c> to steer at,
/// <c>--sae</c> to override a SAS vector's SAE path, <c>--steer-positions all|generated|from:N</c>, <c>--norm-to</c>.
/// </summary>
public sealed class SteeringOptions
{
    public Option<string[]> Steer { get; } = new("--steer")
    {
        Description = "Steering vector file with an optional weight, FILE[:WEIGHT] (default 1; repeatable: terms are applied "
                      + "together). generate steers with the weight as λ; eval multiplies it by each --multipliers value.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Feature { get; } = new("--feature")
    {
        Description = "A single SAE feature, SAE:INDEX:STRENGTH (repeatable), at --layer.",
    };

    public Option<int?> Layer { get; } = new("--layer")
    {
        Description = "Layer to steer at: for --feature terms (default: the SAE's own layer) and, when given, for --steer "
                      + "vectors instead of the layer they were built at.",
    };

    public Option<string?> Sae { get; } = new("--sae") { Description = "SAE for SAS vectors (default: the path stored in the vector)." };

    public Option<string> Positions { get; } = new("--steer-positions")
    {
        Description = "Which tokens to steer: all, generated, or from:N.",
        DefaultValueFactory = _ => "all",
    };

    public Option<double?> NormTo { get; } = new("--norm-to")
    {
        Description = "Rescale every --steer vector so that its residual-space direction (a SAS vector's decoded one) has this "
                      + "norm at weight 1: CAA and SAS curves then share one λ scale.",
    };

    public IEnumerable<Option> All => [Steer, Feature, Layer, Sae, Positions, NormTo];

    public static SteeringPositions ParsePositions(string text) => text switch
    {
        "all" => SteeringPositions.All,
        "generated" => SteeringPositions.GeneratedOnly,
        _ when text.StartsWith("from:", StringComparison.Ordinal) && int.TryParse(text[5..], out int start) && start >= 0 =>
            SteeringPositions.From(start),
        _ => throw new ArgumentException($"--steer-positions '{text}': expected all, generated or from:N"),
    };

    /// <summary>The steering setup the options describe (no files are read here; <see cref="SteeringLibrary"/> reads them).</summary>
    public SteeringSetup Setup(ParseResult result)
    {
        int? layer = result.GetValue(Layer);
        var terms = new List<SteeringTermSpec>();
        foreach (var spec in result.GetValue(Steer) ?? [])
        {
            var (path, weight) = SplitNumber(spec);
            terms.Add(new VectorTermSpec(path, weight ?? 1, layer, result.GetValue(Sae), result.GetValue(NormTo)));
        }
        foreach (var spec in result.GetValue(Feature) ?? [])
        {
            var (rest, strength) = SplitNumber(spec);
            int colon = rest.LastIndexOf(':');
            if (strength is null || colon <= 0 || !long.TryParse(rest[(colon + 1)..], out long index))
                throw new ArgumentException($"--feature '{spec}': expected SAE:INDEX:STRENGTH");
            terms.Add(new FeatureTermSpec(rest[..colon], index, strength.Value, layer));
        }
        return new SteeringSetup(terms, ParsePositions(result.GetValue(Positions)!));
    }

    /// <summary>"TEXT:NUMBER" → (TEXT, NUMBER); anything else is all text.</summary>
    private static (string Text, double? Number) SplitNumber(string spec)
    {
        int colon = spec.LastIndexOf(':');
        return colon > 0 && double.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? (spec[..colon], value)
            : (spec, null);
    }
}
