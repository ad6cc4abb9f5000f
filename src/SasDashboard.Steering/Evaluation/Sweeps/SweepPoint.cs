using System.Globalization;
using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Evaluation.Sweeps;

/// <summary>
/// The smallest unit of a sweep, stored and resumed on its own: one benchmark under one steering setup at strength λ
/// (every term's weight times λ).
/// </summary>
public sealed record SweepPoint(BenchmarkSpec Benchmark, SteeringSetup Setup, double Lambda)
{
    /// <summary>
    /// A stable text naming the point within its sweep: benchmark key, setup key and λ (shortest round-trip form, so
    /// 0.1 is "0.1" and −0 is "0"). A job skips points whose key it has already stored.
    /// </summary>
    public string Key => $"{Benchmark.Key}|{Setup.Key}|lambda={(Lambda == 0 ? "0" : Lambda.ToString("R", CultureInfo.InvariantCulture))}";

    /// <summary>
    /// No steering takes effect: no terms, or λ = 0. At λ = 0 every term type adds exactly nothing (dense: 0·v; sparse:
    /// σ(f + 0) − f = 0 because f is already σ's output), so such points are the unsteered model's results.
    /// </summary>
    public bool IsUnsteered => Setup.IsNone || Lambda == 0;
}
