using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Evaluation.Judging;
using SasDashboard.Steering.Evaluation.Sweeps;
using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tests.Evaluation.Judging;

namespace SasDashboard.Steering.Tests.Evaluation;

/// <summary>Open-ended evaluation end to end: generation under steering, perplexity, and a judge on 127.0.0.1 (or none).</summary>
public sealed class OpenEndedEvaluationTests(EvaluationWorkspace workspace) : IClassFixture<EvaluationWorkspace>, IAsyncDisposable
{
    private const int Tokens = 6;
    private static readonly double[] Lambdas = [0, 2];
    private readonly FakeChatServer _server = FakeChatServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private BenchmarkSpec Spec(string? dataset = null) => new(BenchmarkKind.OpenEnded, dataset ?? workspace.OpenEnded, MaxNewTokens: Tokens);

    private OpenAiCompatibleJudge Judge(JudgmentCache? cache = null) => new(new JudgeOptions
    {
        BaseUrl = _server.BaseUrl, Model = "judge", MaxRetries = 1, InitialBackoff = TimeSpan.FromMilliseconds(10),
    }, cache);

    /// <summary>Behaviour rubric: 3; coherence: 8 — told apart by the rubric text in the request.</summary>
    private void ScoreByRubric() => _server.RespondWith(request => ScriptedReply.Chat(
        request.Body.Contains("coherent", StringComparison.Ordinal) ? "Fluent.\nScore: 8" : "Mostly honest.\nScore: 3"));

    private async Task<IReadOnlyList<PointResult>> RunAsync(IJudge? judge, BenchmarkSpec? spec = null)
    {
        using var library = workspace.Library();
        var runner = new SweepRunner(workspace.Model, workspace.Tokenizer, library, new EvaluationOptions(BatchSize: 4), judge);
        return await runner.RunAsync(new SweepPlan([spec ?? Spec()], [SteeringSetup.ForVector(workspace.CaaVector)], Lambdas), Ct);
    }

    [Fact]
    public async Task WithJudge_ScoresBehaviourAndCoherence_StoresRawReplies_AndCachesJudgments()
    {
        ScoreByRubric();
        var cache = new JudgmentCache(workspace.Scratch($"judgments-{Guid.NewGuid():N}.jsonl"));
        IReadOnlyList<PointResult> results;
        using (var judge = Judge(cache)) results = await RunAsync(judge);

        Assert.Equal(2, results.Count);
        foreach (var result in results)
        {
            var aggregate = Assert.IsType<OpenEndedAggregate>(result.Aggregate);
            Assert.Equal((3, 3.0, 8.0, 0), (aggregate.Items, aggregate.BehaviorScore!.Mean, aggregate.Coherence!.Mean, aggregate.FailedJudgments));
            Assert.Null(aggregate.JudgeNote);
            foreach (var item in result.Items.Cast<OpenEndedItemResult>())
            {
                Assert.Equal(("Mostly honest.\nScore: 3", "sycophancy"), (item.Behavior!.RawReply, item.Behavior.RubricId));
                Assert.Equal(("Fluent.\nScore: 8", "coherence"), (item.Coherence!.RawReply, item.Coherence.RubricId));
            }
        }
        // An answer that steering left unchanged is the same judgment: asked once, then read from the cache.
        var answers = results.SelectMany(r => r.Items).Cast<OpenEndedItemResult>().ToList();
        int distinct = answers.Select(item => (item.Question, item.Text)).Distinct().Count();
        Assert.Equal(2 * distinct, _server.Requests.Count);
        Assert.Equal(distinct, answers.Count(item => !item.Behavior!.FromCache));
        Assert.All(_server.Requests, request => Assert.Contains("\"temperature\":0", request.Body));

        using (var judge = Judge(new JudgmentCache(cache.Path))) results = await RunAsync(judge);
        Assert.Equal(2 * distinct, _server.Requests.Count);
        Assert.All(results.SelectMany(r => r.Items).Cast<OpenEndedItemResult>(), item => Assert.True(item.Behavior!.FromCache));
    }

    [Fact]
    public async Task LambdaBatchedGeneration_EqualsSeparateGeneration_AndPerplexityIsUnsteered()
    {
        var results = await RunAsync(judge: null);

        var questions = (await CaaOpenEndedImporter.ImportAsync(workspace.OpenEnded, Ct)).Items.Select(i => i.Question).ToList();
        var prompts = questions.Select(q => workspace.Tokenizer.Template.Format(q)).ToList();
        using var library = workspace.Library();
        foreach (double lambda in Lambdas)
        {
            using var hook = library.CreateHook(SteeringSetup.ForVector(workspace.CaaVector), lambda)!;
            var separate = TextGenerator.Generate(workspace.Model, workspace.Tokenizer, prompts, new GenerationOptions(Tokens), [hook],
                cancellationToken: Ct);
            var items = results.Single(r => r.Point.Lambda == lambda).Items.Cast<OpenEndedItemResult>().ToList();
            Assert.Equal(separate.Select(s => s.Text), items.Select(i => i.Text));
            Assert.Equal(separate.Select(s => s.GeneratedIds.Count), items.Select(i => i.GeneratedTokens));

            var logLikelihoods = ContinuationScorer.LogLikelihoods(workspace.Model,
                separate.Select(s => new ContinuationPrompt(s.PromptIds, s.GeneratedIds)).ToList(), workspace.Tokenizer.PadId,
                cancellationToken: Ct);
            for (int i = 0; i < items.Count; i++)
                Assert.Equal(Math.Exp(-logLikelihoods[i] / separate[i].GeneratedIds.Count), items[i].Perplexity, 1e-6);
        }
        Assert.NotEqual(results[0].Items.Cast<OpenEndedItemResult>().Select(i => i.Text),
            results[1].Items.Cast<OpenEndedItemResult>().Select(i => i.Text));
    }

    [Fact]
    public async Task WithoutJudge_RecordsTextsAndPerplexities_AndSaysScoresAreAbsent()
    {
        var results = await RunAsync(judge: null);

        foreach (var result in results)
        {
            var aggregate = Assert.IsType<OpenEndedAggregate>(result.Aggregate);
            Assert.Null(aggregate.BehaviorScore);
            Assert.Null(aggregate.Coherence);
            Assert.Contains("judge scores absent: no judge configured (set SAS_JUDGE_BASE_URL and SAS_JUDGE_MODEL)", aggregate.JudgeNote);
            Assert.Contains("judge scores absent", aggregate.Describe());
            Assert.Equal(3, aggregate.Perplexity.Count);
            Assert.All(result.Items.Cast<OpenEndedItemResult>(), item =>
            {
                Assert.Null(item.Behavior);
                Assert.Null(item.Coherence);
                Assert.InRange(item.GeneratedTokens, 1, Tokens);
                Assert.True(double.IsFinite(item.Perplexity) && item.Perplexity > 1);
            });
        }
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task BehaviourWithoutRubric_GetsCoherenceOnly()
    {
        ScoreByRubric();
        using var judge = Judge();
        var results = await RunAsync(judge, Spec(workspace.OpenEndedUnknownBehavior));

        var aggregate = Assert.IsType<OpenEndedAggregate>(results[0].Aggregate);
        Assert.Null(aggregate.BehaviorScore);
        Assert.Equal(8, aggregate.Coherence!.Mean);
        Assert.Contains("no rubric for behaviour 'curiosity'", aggregate.JudgeNote);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task JudgeFailures_AreRecordedWithTheirReplies_NotThrown()
    {
        _server.RespondWith(_ => new ScriptedReply(400, """{"error": "bad model"}"""));
        using var judge = Judge();
        var results = await RunAsync(judge);

        var aggregate = Assert.IsType<OpenEndedAggregate>(results[0].Aggregate);
        Assert.Equal(6, aggregate.FailedJudgments);
        Assert.Null(aggregate.BehaviorScore);
        Assert.Contains("6 of 6 judgments failed", aggregate.JudgeNote);
        var item = results[0].Items.Cast<OpenEndedItemResult>().First();
        Assert.Null(item.Behavior!.Score);
        Assert.Contains("HTTP 400", item.Behavior.Error);
        Assert.Equal("""{"error": "bad model"}""", item.Behavior.RawReply);
    }
}
