using SasDashboard.Steering.Training;

namespace SasDashboard.Steering.Demo;

/// <summary>What <see cref="DemoWorkspace.PrepareAsync"/> measured, saved as <c>demo-report.json</c>.</summary>
public sealed record DemoReport(
    int GeneratorVersion, string Size, int Seed, DemoRecipe Recipe, DateTimeOffset CreatedAt, double TotalSeconds,
    IReadOnlyList<StageTiming> Stages, DemoModelSummary Model, double KnowledgeAccuracy,
    IReadOnlyDictionary<string, double> KnowledgeAccuracyBySubject, double TruthfulQaMc1, double TruthfulQaMc2,
    IReadOnlyList<DemoSaeSummary> Saes, IReadOnlyList<DemoBehaviorSummary> Behaviors, IReadOnlyList<double> Lambdas)
{
    /// <summary>The outcomes the demo promises, each checked against its threshold.</summary>
    public IReadOnlyList<DemoOutcome> Outcomes() =>
    [
        new("knowledge accuracy ≥ 0.8", KnowledgeAccuracy, KnowledgeAccuracy >= 0.8),
        new("widest SAE explains ≥ 0.9 of the variance", Saes.MaxBy(s => s.Width)!.Quality.FractionOfVarianceExplained,
            Saes.MaxBy(s => s.Width)!.Quality.FractionOfVarianceExplained >= 0.9),
        .. Behaviors.SelectMany(b => b.Curves.Where(c => c.Method != DemoSteeringCurve.PlantedMethod).Select(c => new DemoOutcome(
            $"{b.Behavior} {c.Label} moves P(matching) by ≥ 0.25", c.BestShift, c.BestShift >= 0.25))),
        .. Behaviors.SelectMany(b => b.Curves.Select(c => new DemoOutcome(
            $"{b.Behavior} {c.Label} at λ = 0 equals the unsteered score", c.ZeroLambdaScore, c.ZeroLambdaEqualsBaseline))),
    ];
}

public sealed record StageTiming(string Stage, double Seconds);

public sealed record DemoOutcome(string Claim, double Value, bool Met);

/// <param name="MeanResidualNorm">Mean norm of the residual stream after the steering layer: the unit of λ, to which every
/// vector in the sweeps is rescaled.</param>
public sealed record DemoModelSummary(string Directory, string Architecture, int HiddenSize, int Layers,
    int VocabularySize, long Parameters, int TrainingSteps, double FinalLoss, int SteeringLayer, double MeanResidualNorm);

public sealed record DemoSaeSummary(int Width, string Path, SaeQuality Quality);

/// <summary>One behaviour: the unsteered A/B score and one λ curve per steering vector.</summary>
public sealed record DemoBehaviorSummary(string Behavior, double Baseline, IReadOnlyList<DemoSteeringCurve> Curves);

/// <param name="BestShift">The largest move in the intended direction over the sweep: up for λ &gt; 0, down for λ &lt; 0.</param>
/// <param name="ZeroLambdaScore">The score with the hook attached at λ = 0, computed separately from the baseline.</param>
/// <param name="CosineToPlanted">Cosine between the vector's residual-space direction and the direction planted for
/// the behaviour in training (null when the model was trained on text hints).</param>
public sealed record DemoSteeringCurve(string Method, int? SaeWidth, string VectorPath, int L0, double Norm,
    IReadOnlyList<DemoCurvePoint> Points, double BestShift, double BestLambda, double ZeroLambdaScore,
    bool ZeroLambdaEqualsBaseline, double? CosineToPlanted = null)
{
    /// <summary>The reference curve of the planted direction itself.</summary>
    public const string PlantedMethod = "planted";

    public string Label => SaeWidth is { } width ? $"SAS ({width} features)"
        : Method == PlantedMethod ? "planted direction" : Method.ToUpperInvariant();
}

public sealed record DemoCurvePoint(double Lambda, double MatchingShare, double Lower, double Upper);
