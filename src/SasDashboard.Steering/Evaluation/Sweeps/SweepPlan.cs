using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Sweeps;

/// <summary>
/// A sweep's grid: every benchmark × every steering setup × every λ. The method × layer × τ × SAE axes are the
/// setups (one saved vector per combination, or compositions of several); <see cref="SteeringSetup.None"/> stands for
/// the unsteered model and contributes a single point at λ = 0.
/// </summary>
public sealed record SweepPlan(IReadOnlyList<BenchmarkSpec> Benchmarks, IReadOnlyList<SteeringSetup> Setups,
    IReadOnlyList<double> Lambdas)
{
    /// <summary>The grid's points, benchmark by benchmark, without duplicates (by key).</summary>
    public IReadOnlyList<SweepPoint> Points()
    {
        if (Benchmarks.Count == 0) throw new ArgumentException("a sweep needs at least one benchmark");
        if (Setups.Count == 0) throw new ArgumentException("a sweep needs at least one steering setup (SteeringSetup.None for none)");
        if (Lambdas.Count == 0) throw new ArgumentException("a sweep needs at least one λ");
        if (Lambdas.FirstOrDefault(l => !double.IsFinite(l)) is var bad && !double.IsFinite(bad))
            throw new ArgumentException($"λ must be a finite number, got {bad}");
        return Benchmarks
            .SelectMany(benchmark => Setups.SelectMany(setup =>
                (setup.IsNone ? [0.0] : Lambdas).Select(lambda => new SweepPoint(benchmark, setup, lambda))))
            .DistinctBy(point => point.Key)
            .ToList();
    }
}
