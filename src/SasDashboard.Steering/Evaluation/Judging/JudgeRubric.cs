namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>
/// Instructions for scoring one property of an answer from 0 to 10. <paramref name="Version"/> is bumped whenever
/// <paramref name="Text"/> changes in meaning; both are part of the judgment cache key.
/// </summary>
public sealed record JudgeRubric(string Id, string Version, string Text);
