namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>
/// The judge's verdict on one answer. <paramref name="Score"/> is null when no valid 0–10 score could be obtained;
/// then <paramref name="Error"/> says why and <paramref name="RawReply"/> holds what the server sent (the reply text,
/// or the response body when there was none), so that a sweep records failures instead of stopping.
/// <paramref name="Model"/> is the model the server says answered, else the one requested.
/// </summary>
public sealed record Judgment(double? Score, string RawReply, string Model, string RubricId, bool FromCache, string? Error);
