using SasDashboard.Steering.Runtime;
using System.Text.Json;
using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Evaluation.Sweeps;
using SasDashboard.Steering.Steering;

namespace SasDashboard.Steering.Tests.Evaluation;

public sealed class SweepRunnerTests(EvaluationWorkspace workspace) : IClassFixture<EvaluationWorkspace>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SweepRunner Runner(SteeringLibrary library, int batchSize = 6) =>
        new(workspace.Model, workspace.Tokenizer, library, new EvaluationOptions(batchSize));

    private BenchmarkSpec Behavior => new(BenchmarkKind.Behavior, workspace.BehaviorAb);

    private static T Aggregate<T>(IEnumerable<PointResult> results, double lambda) where T : BenchmarkAggregate =>
        Assert.IsType<T>(results.Single(r => r.Point.Lambda == lambda && !r.Point.Setup.IsNone).Aggregate);

    [Fact]
    public async Task LambdaZero_AndNoSteering_GiveExactlyTheUnsteeredModel()
    {
        using var library = workspace.Library();
        var caa = SteeringSetup.ForVector(workspace.CaaVector);
        var plan = new SweepPlan([Behavior], [SteeringSetup.None, caa, workspace.Composition()], [-1, 0, 2]);

        var results = await Runner(library).RunAsync(plan, Ct);

        Assert.Equal(7, results.Count);
        Assert.Equal(7, results.Select(r => r.Point.Key).Distinct().Count());
        var baseline = NextTokenScorer.Probabilities(workspace.Model, workspace.AbPrompts(), workspace.Tokenizer.PadId,
            cancellationToken: Ct);
        foreach (var result in results.Where(r => r.Point.IsUnsteered))
        {
            var items = result.Items.Cast<PairedAnswerItemResult>().ToList();
            Assert.Equal(baseline.Select(p => p[0]), items.Select(i => i.PositiveProbability));
            Assert.Equal(baseline.Select(p => p[1]), items.Select(i => i.NegativeProbability));
        }
        Assert.NotEqual(Aggregate<PairedAnswerAggregate>(results.Where(r => r.Point.Setup == caa), 0).PositiveShare.Mean,
            Aggregate<PairedAnswerAggregate>(results.Where(r => r.Point.Setup == caa), 2).PositiveShare.Mean);
    }

    [Fact]
    public async Task BehaviorSweep_EqualsSeparateEvaluations_AndAggregatesItsItems()
    {
        using var library = workspace.Library();
        double[] lambdas = [-1.5, 0.5, 2];
        var results = await Runner(library).RunAsync(new SweepPlan([Behavior], [workspace.Composition()], lambdas), Ct);

        var prompts = workspace.AbPrompts();
        foreach (double lambda in lambdas)
        {
            var result = results.Single(r => r.Point.Lambda == lambda);
            using var hook = library.CreateHook(workspace.Composition(), lambda)!;
            var separate = NextTokenScorer.Probabilities(workspace.Model, prompts, workspace.Tokenizer.PadId, [hook], cancellationToken: Ct);
            var items = result.Items.Cast<PairedAnswerItemResult>().ToList();
            for (int i = 0; i < items.Count; i++)
            {
                Assert.Equal(separate[i][0], items[i].PositiveProbability, 1e-5);
                Assert.Equal(separate[i][1], items[i].NegativeProbability, 1e-5);
            }
            var aggregate = Assert.IsType<PairedAnswerAggregate>(result.Aggregate);
            Assert.Equal(5, aggregate.Items);
            Assert.Equal(items.Average(i => i.PositiveShare), aggregate.PositiveShare.Mean, 12);
            Assert.Equal(items.Count(i => i.PositivePreferred) / 5.0, aggregate.Accuracy.Mean, 12);
            Assert.Empty(aggregate.Categories);
            Assert.Null(aggregate.MacroAccuracy);
        }
        var third = results.Single(r => r.Point.Lambda == 2).Items.Cast<PairedAnswerItemResult>().ElementAt(2);
        Assert.Equal((2, 'C', 'A'), (third.Index, third.PositiveLetter, third.NegativeLetter));
        Assert.Equal(["caa", "sas"], results[0].Steering.Select(t => t.Method).Order());
        Assert.Equal(0.6, results[0].Steering.Single(t => t.Method == "sas").Tau);
    }

    [Fact]
    public async Task TruthfulQaSweep_EqualsSeparatePlans_AndScoresMc1AndMc2()
    {
        using var library = workspace.Library();
        var spec = new BenchmarkSpec(BenchmarkKind.TruthfulQa, workspace.TruthfulQaMcTask);
        var setup = workspace.Composition();
        var swept = await Runner(library).RunAsync(new SweepPlan([spec], [setup], [-1, 1.5]), Ct);

        foreach (double lambda in new[] { -1, 1.5 })
        {
            var separate = (await Runner(library, batchSize: 1).RunAsync(new SweepPlan([spec], [setup], [lambda]), Ct)).Single();
            var sweptItems = swept.Single(r => r.Point.Lambda == lambda).Items.Cast<TruthfulQaItemResult>().ToList();
            var separateItems = separate.Items.Cast<TruthfulQaItemResult>().ToList();
            for (int i = 0; i < sweptItems.Count; i++)
            for (int a = 0; a < sweptItems[i].Mc2.Count; a++)
                Assert.Equal(separateItems[i].Mc2[a].LogLikelihood, sweptItems[i].Mc2[a].LogLikelihood, 1e-5);
        }

        var result = swept.Single(r => r.Point.Lambda == 1.5);
        var items = result.Items.Cast<TruthfulQaItemResult>().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(["no", "yes", "it is red"], items[0].Mc1.Select(a => a.Answer));
        Assert.Equal(items[0].Mc1[0].LogLikelihood, items[0].Mc2[0].LogLikelihood); // "no" is scored once for both
        Assert.All(items, item => Assert.InRange(item.Mc2Score, 0, 1));
        var aggregate = Assert.IsType<TruthfulQaAggregate>(result.Aggregate);
        Assert.Equal(items.Average(i => i.Mc2Score), aggregate.Mc2.Mean, 12);
        Assert.Equal(items.Count(i => i.Mc1Correct) / 3.0, aggregate.Mc1.Mean, 12);
    }

    [Fact]
    public async Task TruthfulQaCsv_IsScoredLikeMcTask()
    {
        using var library = workspace.Library();
        var result = (await Runner(library).RunAsync(
            new SweepPlan([new BenchmarkSpec(BenchmarkKind.TruthfulQa, workspace.TruthfulQaCsv)], [SteeringSetup.None], [0]), Ct)).Single();

        var items = result.Items.Cast<TruthfulQaItemResult>().ToList();
        Assert.Equal(["Misconceptions", "Health"], items.Select(i => i.Category));
        Assert.Equal(["no it is blue", "yes it is red", "it is red"], items[0].Mc1.Select(a => a.Answer));
        Assert.Equal(2, Assert.IsType<TruthfulQaAggregate>(result.Aggregate).Items);
    }

    [Fact]
    public async Task Mmlu_ZeroAndFiveShot_GiveAccuracyPerSubjectAndMacroAverage()
    {
        using var library = workspace.Library();
        var zero = new BenchmarkSpec(BenchmarkKind.Mmlu, workspace.Mmlu);
        var five = zero with { Shots = 5 };
        var results = await Runner(library).RunAsync(new SweepPlan([zero, five], [workspace.Composition()], [1]), Ct);

        Assert.Equal(2, results.Count);
        foreach (var result in results)
        {
            var aggregate = Assert.IsType<MmluAggregate>(result.Aggregate);
            var items = result.Items.Cast<MmluItemResult>().ToList();
            Assert.Equal(6, aggregate.Items);
            Assert.Equal(["astronomy", "world_religions"], aggregate.Subjects.Select(s => s.Category));
            Assert.All(aggregate.Subjects, s => Assert.Equal(3, s.Accuracy.Count));
            Assert.Equal(aggregate.Subjects.Average(s => s.Accuracy.Mean), aggregate.MacroAccuracy, 12);
            Assert.Equal(items.Count(i => i.Correct) / 6.0, aggregate.Accuracy.Mean, 12);
            Assert.All(items, item => Assert.Equal(4, item.LetterProbabilities.Count));
            Assert.Equal(['B', 'C', 'D'], items.Take(3).Select(i => i.CorrectLetter));
        }
        Assert.Contains("|shots=5", results[1].Point.Key);
        Assert.NotEqual(((MmluItemResult)results[0].Items[0]).LetterProbabilities, ((MmluItemResult)results[1].Items[0]).LetterProbabilities);
    }

    [Fact]
    public async Task MmluLimit_KeepsEverySubject()
    {
        using var library = workspace.Library();
        var spec = new BenchmarkSpec(BenchmarkKind.Mmlu, workspace.Mmlu, Limit: 3);
        var result = (await Runner(library).RunAsync(new SweepPlan([spec], [SteeringSetup.None], [0]), Ct)).Single();

        Assert.Equal(["astronomy", "astronomy", "world_religions"], result.Items.Cast<MmluItemResult>().Select(i => i.Subject));
        Assert.Equal([0, 1, 3], result.Items.Select(i => i.Index));
    }

    [Fact]
    public async Task AnswerPairs_ServeMmluAndTruthfulQa_WithAccuracyPerCategory()
    {
        using var library = workspace.Library();
        var plan = new SweepPlan([new(BenchmarkKind.Mmlu, workspace.AnswerPairs), new(BenchmarkKind.TruthfulQa, workspace.AnswerPairs)],
            [SteeringSetup.None], [0]);
        var results = await Runner(library).RunAsync(plan, Ct);

        Assert.Equal(2, results.Count);
        var aggregate = Assert.IsType<PairedAnswerAggregate>(results[0].Aggregate);
        Assert.Equal(["chemistry", "history"], aggregate.Categories.Select(c => c.Category));
        Assert.Equal(aggregate.Categories.Average(c => c.Accuracy.Mean), aggregate.MacroAccuracy!.Value, 12);
        var second = results[0].Items.Cast<PairedAnswerItemResult>().ElementAt(1);
        Assert.Equal(('B', 'A', "chemistry"), (second.PositiveLetter, second.NegativeLetter, second.Category));
        Assert.Equal(results[0].Items, results[1].Items);
    }

    [Fact]
    public async Task Resume_SkipsStoredPoints_EmitsTheRest_AndReportsProgress()
    {
        using var library = workspace.Library();
        var plan = new SweepPlan([Behavior], [workspace.Composition()], [-1, 0, 1]);
        var stored = plan.Points().Single(p => p.Lambda == -1).Key;
        var emitted = new List<string>();
        var reports = new List<SweepProgress>();

        await Runner(library).RunAsync(plan, new HashSet<string> { stored }, (result, _) =>
        {
            emitted.Add(result.Point.Key);
            return Task.CompletedTask;
        }, new SynchronousProgress<SweepProgress>(reports.Add), Ct);

        Assert.Equal(plan.Points().Where(p => p.Lambda != -1).Select(p => p.Key), emitted);
        Assert.Equal(1, reports[0].PointsCompleted);
        Assert.Equal((3, 3), (reports[^1].PointsCompleted, reports[^1].PointsTotal));
        Assert.Contains(reports, r => r.Stage is { Stage: "scoring" });
    }

    [Fact]
    public async Task Cancellation_StopsTheSweepBetweenGroups()
    {
        using var library = workspace.Library();
        var plan = new SweepPlan([Behavior], [SteeringSetup.None, workspace.Composition()], [1]);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var emitted = new List<PointResult>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(library).RunAsync(plan, new HashSet<string>(),
            async (result, _) =>
            {
                emitted.Add(result);
                await cancel.CancelAsync();
            }, null, cancel.Token));

        Assert.True(Assert.Single(emitted).Point.Setup.IsNone);
    }

    [Fact]
    public async Task PointResults_RoundTripThroughJson()
    {
        using var library = workspace.Library();
        var plan = new SweepPlan([Behavior, new(BenchmarkKind.Mmlu, workspace.Mmlu, Limit: 2),
            new(BenchmarkKind.TruthfulQa, workspace.TruthfulQaMcTask, Limit: 1)], [workspace.Composition()], [1]);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        foreach (var result in await Runner(library).RunAsync(plan, Ct))
        {
            var json = JsonSerializer.Serialize(result, options);
            var restored = JsonSerializer.Deserialize<PointResult>(json, options)!;
            Assert.Equal(json, JsonSerializer.Serialize(restored, options));
            Assert.Equal(result.Point.Key, restored.Point.Key);
            Assert.Equal(result.Aggregate.GetType(), restored.Aggregate.GetType());
        }
    }

    [Fact]
    public void Plan_GivesTheUnsteeredSetupOnePoint_AndStableKeys()
    {
        var plan = new SweepPlan([Behavior], [SteeringSetup.None, SteeringSetup.ForVector("v.safetensors")], [-1, -0.0, 0.25, 0.25]);

        Assert.Equal(
        [
            $"behavior:{workspace.BehaviorAb}|none|lambda=0",
            $"behavior:{workspace.BehaviorAb}|vector:v.safetensors*1|lambda=-1",
            $"behavior:{workspace.BehaviorAb}|vector:v.safetensors*1|lambda=0",
            $"behavior:{workspace.BehaviorAb}|vector:v.safetensors*1|lambda=0.25",
        ], plan.Points().Select(p => p.Key));
        Assert.Throws<ArgumentException>(() => new SweepPlan([Behavior], [SteeringSetup.None], [double.NaN]).Points());
    }

    [Fact]
    public async Task MalformedDataset_FailsNamingTheFileAndRecord()
    {
        var path = workspace.Scratch("bad/test_dataset_ab.json");
        File.WriteAllText(path, """[{"question": "a?\n\nChoices:\n (A) x\n (B) y", "answer_matching_behavior": "(C)", "answer_not_matching_behavior": "(A)"}]""");
        using var library = workspace.Library();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Runner(library).RunAsync(
            new SweepPlan([new(BenchmarkKind.Behavior, path)], [SteeringSetup.None], [0]), Ct));

        Assert.Contains(path, error.Message);
        Assert.Contains("record 1", error.Message);
        Assert.Contains("'(C)' is not among the choices", error.Message);
    }

    [Fact]
    public async Task DatasetOfAnotherBenchmark_IsRefused()
    {
        using var library = workspace.Library();
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Runner(library).RunAsync(
            new SweepPlan([new(BenchmarkKind.Mmlu, workspace.BehaviorAb)], [SteeringSetup.None], [0]), Ct));
        Assert.Contains("not mmlu", error.Message);
    }

    [Fact]
    public async Task BrokenVectorFile_FailsBeforeAnyPointIsComputed()
    {
        var path = workspace.Scratch("broken.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        using var library = workspace.Library();
        int emitted = 0;

        await Assert.ThrowsAsync<CheckpointException>(() => Runner(library).RunAsync(
            new SweepPlan([Behavior], [SteeringSetup.None, SteeringSetup.ForVector(path)], [1]), new HashSet<string>(),
            (_, _) => Task.FromResult(++emitted), null, Ct));

        Assert.Equal(0, emitted);
    }

    [Fact]
    public async Task SteeringThatDoesNotFitTheModel_IsRefused()
    {
        using var library = workspace.Library();
        var outside = new SteeringSetup([new VectorTermSpec(workspace.CaaVector, Layer: 3)], SteeringPositions.All);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(library).RunAsync(
            new SweepPlan([Behavior], [outside], [1]), Ct));
        Assert.Contains("layer 3 is outside the model's 3 layers", error.Message);

        var noLayer = new SteeringSetup([new FeatureTermSpec(workspace.SaePath, 5)], SteeringPositions.All);
        error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(library).RunAsync(
            new SweepPlan([Behavior], [noLayer], [1]), Ct));
        Assert.Contains("the SAE does not say its layer", error.Message);

        var wrongFeature = new SteeringSetup([new FeatureTermSpec(workspace.SaePath, 500, Layer: 1)], SteeringPositions.All);
        error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(library).RunAsync(
            new SweepPlan([Behavior], [wrongFeature], [1]), Ct));
        Assert.Contains("feature 500 is outside the SAE's 96 features", error.Message);
    }

    [Fact]
    public async Task ShotsNeedTheMmluRelease_AndEnoughDevExamples()
    {
        using var library = workspace.Library();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(library).RunAsync(
            new SweepPlan([new(BenchmarkKind.Mmlu, workspace.AnswerPairs, Shots: 5)], [SteeringSetup.None], [0]), Ct));
        Assert.Contains("dev examples", error.Message);

        error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(library).RunAsync(
            new SweepPlan([new(BenchmarkKind.Mmlu, workspace.Mmlu, Shots: 6)], [SteeringSetup.None], [0]), Ct));
        Assert.Contains("6-shot needs 6 dev items", error.Message);

        error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(library).RunAsync(
            new SweepPlan([new(BenchmarkKind.Behavior, workspace.BehaviorAb, Shots: 5)], [SteeringSetup.None], [0]), Ct));
        Assert.Contains("shots apply to MMLU only", error.Message);
    }
}
