using SasDashboard.Steering.Evaluation.Judging;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>What prepared benchmarks share: the model, its tokenizer, the options and the judge (null: none configured).</summary>
internal sealed record BenchmarkContext(CausalLanguageModel Model, ModelTokenizer Tokenizer, EvaluationOptions Options, IJudge? Judge)
{
    public PromptTemplate Template => Options.Template ?? Tokenizer.Template;

    /// <summary>Candidate probabilities per λ (one entry for a null hook), λ-batched.</summary>
    public double[][][] NextTokenProbabilities(IReadOnlyList<NextTokenPrompt> prompts, SteeringHook? hook,
        IReadOnlyList<double> lambdas, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken) =>
        hook is null
            ? [NextTokenScorer.Probabilities(Model, prompts, Tokenizer.PadId, null, Options.BatchSize, progress, cancellationToken)]
            : NextTokenScorer.SweepProbabilities(Model, prompts, Tokenizer.PadId, hook, lambdas, Options.BatchSize, progress,
                cancellationToken);

    /// <summary>Continuation log-likelihoods per λ (one entry for a null hook), λ-batched.</summary>
    public double[][] LogLikelihoods(IReadOnlyList<ContinuationPrompt> sequences, SteeringHook? hook,
        IReadOnlyList<double> lambdas, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken) =>
        hook is null
            ? [ContinuationScorer.LogLikelihoods(Model, sequences, Tokenizer.PadId, null, Options.BatchSize, progress, cancellationToken)]
            : ContinuationScorer.SweepLogLikelihoods(Model, sequences, Tokenizer.PadId, hook, lambdas, Options.BatchSize,
                progress, cancellationToken);
}
