namespace SasDashboard.Steering.Evaluation.Sweeps;

/// <summary>
/// Where a sweep stands: points done (stored earlier or in this run) out of all, what is being computed, and that
/// activity's own progress when it has batches.
/// </summary>
public sealed record SweepProgress(int PointsCompleted, int PointsTotal, string Activity, ScoringProgress? Stage = null);
