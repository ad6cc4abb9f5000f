namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>Scores a model's answer to a prompt against a rubric.</summary>
public interface IJudge
{
    /// <summary>
    /// Never throws for judge-side failures (they come back as a <see cref="Judgment"/> with an error); throws
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled.
    /// </summary>
    Task<Judgment> ScoreAsync(string prompt, string output, JudgeRubric rubric, CancellationToken ct);
}
