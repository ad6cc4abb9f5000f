using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using SasDashboard.Testing;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Evaluation;

public sealed class ScorerTests(EvaluationWorkspace workspace) : IClassFixture<EvaluationWorkspace>
{
    private static readonly double[] Lambdas = [-2, -0.5, 0, 1, 3];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CausalLanguageModel Model => workspace.Model;
    private int PadId => workspace.Tokenizer.PadId;

    private IReadOnlyList<ContinuationPrompt> Answers() =>
    [
        ContinuationPrompt.For(workspace.Tokenizer, "Q: is the sky blue?\nA:", " yes it is"),
        ContinuationPrompt.For(workspace.Tokenizer, "Q: hello?\nA:", " hello world"),
        ContinuationPrompt.For(workspace.Tokenizer, "Q: who wrote this long question?\nA:", " no"),
        ContinuationPrompt.For(workspace.Tokenizer, "Q: hi\nA:", " who are you? i am a model."),
        ContinuationPrompt.For(workspace.Tokenizer, "Q: sure?\nA:", " yes"),
    ];

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (tolerance {tolerance:G2})");
    }

    [Fact]
    public void NextToken_AtZeroStrength_IsExactlyTheUnsteeredModel()
    {
        var prompts = workspace.AbPrompts();
        using var library = workspace.Library();
        using var hook = library.CreateHook(workspace.Composition(), lambda: 0)!;

        var plain = NextTokenScorer.Probabilities(Model, prompts, PadId, batchSize: 2, cancellationToken: Ct);
        var zero = NextTokenScorer.Probabilities(Model, prompts, PadId, [hook], batchSize: 2, cancellationToken: Ct);

        Assert.Equal(plain, zero);
    }

    [Fact]
    public void Continuation_AtZeroStrength_IsExactlyTheUnsteeredModel()
    {
        using var library = workspace.Library();
        using var hook = library.CreateHook(workspace.Composition(), lambda: 0)!;

        var plain = ContinuationScorer.LogLikelihoods(Model, Answers(), PadId, batchSize: 2, cancellationToken: Ct);
        var zero = ContinuationScorer.LogLikelihoods(Model, Answers(), PadId, [hook], batchSize: 2, cancellationToken: Ct);

        Assert.Equal(plain, zero);
    }

    [Fact]
    public void NextTokenSweep_EqualsSeparateEvaluationsPerLambda()
    {
        var prompts = workspace.AbPrompts();
        using var library = workspace.Library();
        using var sweepHook = library.CreateHook(workspace.Composition())!;

        var swept = NextTokenScorer.SweepProbabilities(Model, prompts, PadId, sweepHook, Lambdas, batchSize: 10, cancellationToken: Ct);

        for (int l = 0; l < Lambdas.Length; l++)
        {
            using var hook = library.CreateHook(workspace.Composition(), Lambdas[l])!;
            var separate = NextTokenScorer.Probabilities(Model, prompts, PadId, [hook], batchSize: 3, cancellationToken: Ct);
            for (int i = 0; i < prompts.Count; i++) AssertClose(separate[i], swept[l][i], 1e-5, $"λ {Lambdas[l]}, prompt {i}");
        }
        Assert.Null(sweepHook.RowMultipliers);
    }

    [Fact]
    public void NextTokenSweep_MovesTheProbabilities()
    {
        var prompts = workspace.AbPrompts();
        using var library = workspace.Library();
        using var hook = library.CreateHook(workspace.Composition())!;

        var swept = NextTokenScorer.SweepProbabilities(Model, prompts, PadId, hook, [0, 3], cancellationToken: Ct);

        Assert.True(Math.Abs(swept[0][0][0] - swept[1][0][0]) > 1e-4, "λ = 3 should change the letter probabilities");
    }

    [Theory]
    [InlineData(SteeringSpan.All)]
    [InlineData(SteeringSpan.GeneratedOnly)]
    public void ContinuationLogLikelihood_EqualsUnpaddedSingleSequenceForward(SteeringSpan span)
    {
        var sequences = Answers();
        using var library = workspace.Library();
        var setup = workspace.Composition() with { Positions = new SteeringPositions(span) };
        using var hook = library.CreateHook(setup, 1.3)!;

        var batched = ContinuationScorer.LogLikelihoods(Model, sequences, PadId, [hook], batchSize: 3, cancellationToken: Ct);

        var expected = sequences.Select(sequence =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int[] ids = [.. sequence.PromptIds, .. sequence.ContinuationIds];
            var logits = Model.Forward(TensorAssert.Ids(ids), hooks: [hook], promptLength: sequence.PromptIds.Count);
            var logProbabilities = logits[0].to(ScalarType.Float64).log_softmax(-1);
            double sum = 0;
            for (int t = sequence.PromptIds.Count; t < ids.Length; t++) sum += logProbabilities[t - 1, ids[t]].item<double>();
            return sum;
        }).ToArray();
        AssertClose(expected, batched, 1e-4, "log-likelihood");
    }

    [Theory]
    [InlineData(SteeringSpan.All)]
    [InlineData(SteeringSpan.GeneratedOnly)]
    public void ContinuationSweep_EqualsSeparateEvaluationsPerLambda(SteeringSpan span)
    {
        var sequences = Answers();
        using var library = workspace.Library();
        var setup = workspace.Composition() with { Positions = new SteeringPositions(span) };
        using var sweepHook = library.CreateHook(setup)!;

        var swept = ContinuationScorer.SweepLogLikelihoods(Model, sequences, PadId, sweepHook, Lambdas, batchSize: 7, cancellationToken: Ct);

        for (int l = 0; l < Lambdas.Length; l++)
        {
            using var hook = library.CreateHook(setup, Lambdas[l])!;
            var separate = ContinuationScorer.LogLikelihoods(Model, sequences, PadId, [hook], batchSize: 2, cancellationToken: Ct);
            AssertClose(separate, swept[l], 1e-5, $"λ {Lambdas[l]}");
        }
    }

    [Fact]
    public void ContinuationLogLikelihood_IsTheSameWhenLogitsAreComputedAFewPositionsAtATime()
    {
        var whole = ContinuationScorer.LogLikelihoods(Model, Answers(), PadId, cancellationToken: Ct);
        var chunked = ContinuationScorer.LogLikelihoods(Model, Answers(), PadId, batchSize: 16, "perplexity", null, Ct,
            logitBudget: 1);

        AssertClose(whole, chunked, 1e-5, "log-likelihood");
    }

    [Fact]
    public void ContinuationPrompt_SplitsWhereTheContinuationStarts()
    {
        const string prompt = "Q: hello?\nA:";
        var split = ContinuationPrompt.For(workspace.Tokenizer, prompt, " hello world");

        Assert.Equal(workspace.Tokenizer.Encode(prompt), split.PromptIds);
        Assert.Equal(workspace.Tokenizer.Encode(prompt + " hello world"), [.. split.PromptIds, .. split.ContinuationIds]);
        Assert.Equal(" hello world", workspace.Tokenizer.Decode(split.ContinuationIds));
    }

    [Fact]
    public void ContinuationPrompt_WithoutContinuationTokens_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ContinuationPrompt.For(workspace.Tokenizer, "Q: hi\nA:", ""));
        Assert.Contains("has no tokens", error.Message);
    }

    [Fact]
    public void Scorers_ReportProgressPerBatch_AndStopWhenCancelled()
    {
        var prompts = workspace.AbPrompts();
        var reports = new List<ScoringProgress>();
        var progress = new SynchronousProgress<ScoringProgress>(reports.Add);
        NextTokenScorer.Probabilities(Model, prompts, PadId, batchSize: 2, progress: progress, cancellationToken: Ct);
        Assert.Equal([2, 4, 5], reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal(("scoring", 5), (r.Stage, r.Total)));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            ContinuationScorer.LogLikelihoods(Model, Answers(), PadId, cancellationToken: cancelled.Token));
    }
}
