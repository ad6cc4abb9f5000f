namespace SasDashboard.Steering.Datasets;

/// <summary>One lettered option of a multiple-choice question, e.g. <c>(B) Disagree</c> → ('B', "Disagree").</summary>
public sealed record AnswerChoice(char Letter, string Text);
