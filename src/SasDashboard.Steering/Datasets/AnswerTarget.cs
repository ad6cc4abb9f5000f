namespace SasDashboard.Steering.Datasets;

/// <summary>One candidate answer of a TruthfulQA multiple-choice target set and whether it is true.</summary>
public sealed record AnswerTarget(string Answer, bool IsTrue);
