namespace SasDashboard.Steering.Evaluation;

/// <summary>Reported after every batch of a scoring stage ("scoring", "generating", "perplexity", "judging").</summary>
public sealed record ScoringProgress(string Stage, int Done, int Total);
