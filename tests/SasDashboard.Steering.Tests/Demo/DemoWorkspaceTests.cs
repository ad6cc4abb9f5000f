using System.Text.Json;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Demo;
using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Vectors;
using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Demo;

/// <summary>The outcomes the demo promises, on the test-size workspace that the suite builds once.</summary>
public sealed class DemoWorkspaceTests(DemoWorkspaceFixture demo) : IClassFixture<DemoWorkspaceFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private DemoReport Report => demo.Report;

    [Fact]
    public void ModelAnswersItsKnowledgeBenchmarkAtLeastFourFifthsRight()
    {
        Assert.True(Report.KnowledgeAccuracy >= 0.8, $"knowledge accuracy {Report.KnowledgeAccuracy:F3}");
        Assert.Equal(SyntheticWorld.Attributes.Count, Report.KnowledgeAccuracyBySubject.Count);
    }

    [Fact]
    public void EveryBehaviorHasACaaCurveAndOneSasCurvePerSaeWidthOverTheWholeSweep()
    {
        Assert.Equal(DemoBehavior.All.Select(b => b.Id), Report.Behaviors.Select(b => b.Behavior));
        foreach (var behavior in Report.Behaviors)
        {
            Assert.Single(behavior.Curves, c => c.Method == "caa");
            Assert.Equal(Report.Saes.Count, behavior.Curves.Count(c => c.Method == "sas"));
            foreach (var curve in behavior.Curves)
            {
                Assert.Equal(Report.Lambdas, curve.Points.Select(p => p.Lambda));
                Assert.All(curve.Points, p => Assert.InRange(p.MatchingShare, p.Lower, p.Upper));
                double expected = curve.Points.Max(p => Math.Sign(p.Lambda) * (p.MatchingShare - behavior.Baseline));
                Assert.Equal(expected, curve.BestShift, 12);
            }
        }
    }

    [Fact]
    public void OutcomesCheckEveryPromiseAgainstItsThreshold()
    {
        var outcomes = Report.Outcomes();
        int curves = Report.Behaviors.Sum(b => b.Curves.Count);
        int built = Report.Behaviors.Sum(b => b.Curves.Count(c => c.Method != DemoSteeringCurve.PlantedMethod));
        Assert.Equal(2 + built + curves, outcomes.Count);
        var shifts = outcomes.Where(o => o.Claim.Contains("moves P(matching)", StringComparison.Ordinal)).ToList();
        Assert.Equal(built, shifts.Count);
        Assert.All(shifts, o => Assert.Equal(o.Value >= 0.25, o.Met));
        Assert.Contains(outcomes, o => o.Claim.StartsWith("knowledge accuracy", StringComparison.Ordinal) && o.Met);
    }

    [Fact]
    public void CaaAndSasVectorsBuiltFromTheGenerateSplitMoveEveryBehaviorByAQuarter()
    {
        foreach (var behavior in Report.Behaviors)
        {
            var caa = behavior.Curves.Single(c => c.Method == "caa");
            Assert.True(caa.BestShift >= 0.25, $"{behavior.Behavior}: CAA moves P(matching) by {caa.BestShift:F3}");
            var sas = behavior.Curves.Where(c => c.Method == "sas").MaxBy(c => c.BestShift)!;
            Assert.True(sas.BestShift >= 0.25, $"{behavior.Behavior}: the best SAS vector ({sas.Label}) moves it by {sas.BestShift:F3}");
            Assert.InRange(Math.Abs(caa.BestLambda), 0.25, Report.Lambdas.Max());
        }
    }

    [Fact]
    public void ThePlantedDirectionOfEveryBehaviorSteersItTheIntendedWay()
    {
        // The model reads its dispositions from the residual stream: adding the planted direction moves the A/B score
        // up for λ > 0 and down for λ < 0. (Whether CAA and SAS vectors find that direction is what the report measures.)
        foreach (var behavior in Report.Behaviors)
        {
            var planted = behavior.Curves.Single(c => c.Method == DemoSteeringCurve.PlantedMethod);
            Assert.Equal(1.0, planted.CosineToPlanted!.Value, 5);
            Assert.True(planted.BestShift >= 0.2, $"{behavior.Behavior}: planted direction moves P(matching) by {planted.BestShift:F3}");
            // At a moderate strength (half the residual norm) the move has the sign of λ; far out, curves may bend back.
            double Share(double lambda) => planted.Points.Single(p => p.Lambda == lambda).MatchingShare;
            Assert.True(Share(0.5) > behavior.Baseline && Share(-0.5) < behavior.Baseline,
                $"{behavior.Behavior}: {string.Join(", ", planted.Points.Select(p => p.MatchingShare.ToString("F3")))}");
        }
    }

    [Fact]
    public void ZeroStrengthThroughTheHookReproducesTheUnsteeredScoreExactly()
    {
        foreach (var behavior in Report.Behaviors)
        foreach (var curve in behavior.Curves)
        {
            Assert.True(curve.ZeroLambdaEqualsBaseline, $"{behavior.Behavior} {curve.Label}: {curve.ZeroLambdaScore} vs {behavior.Baseline}");
            Assert.Equal(behavior.Baseline, curve.Points.Single(p => p.Lambda == 0).MatchingShare, 12);
        }
    }

    [Fact]
    public void SaesAtFourWidthsAreRecordedAndTheWidestExplainsNinetyPercentOfVariance()
    {
        Assert.True(Report.Saes.Count >= 4);
        Assert.Equal(Report.Saes.Count, Report.Saes.Select(s => s.Width).Distinct().Count());
        var widest = Report.Saes.MaxBy(s => s.Width)!;
        Assert.True(widest.Quality.FractionOfVarianceExplained >= 0.9, $"FVE {widest.Quality.FractionOfVarianceExplained:F3}");
        // The record shows how a SAS vector's L0 changes with width: one vector per width, each with its L0.
        foreach (var behavior in Report.Behaviors)
            Assert.Equal(Report.Saes.Select(s => s.Width).Order(),
                behavior.Curves.Where(c => c.SaeWidth is not null).Select(c => c.SaeWidth!.Value).Order());
    }

    [Fact]
    public void ModelLoadsThroughTheSameLoaderAsGemma2AndGenerates()
    {
        using var model = ModelLoader.Load(demo.Workspace.ModelDirectory, ComputeTarget.Cpu);
        var tokenizer = ModelTokenizer.Load(demo.Workspace.ModelDirectory);
        Assert.Equal(ModelConfig.Gemma2Architecture, model.Config.Architecture);
        Assert.Equal(Report.Model.Parameters, model.Config.ParameterCount());
        var result = TextGenerator.Generate(model, tokenizer, ["The color of"], new GenerationOptions { MaxNewTokens = 6 },
            cancellationToken: Ct).Single();
        Assert.NotEmpty(result.GeneratedIds);
    }

    [Fact]
    public void SaesLoadAsGemmaScopeParamsWithTheirQualityRecords()
    {
        foreach (var summary in Report.Saes)
        {
            Assert.EndsWith("params.npz", summary.Path);
            using var sae = SaeLoader.Load(summary.Path, ComputeTarget.Cpu, Report.Model.HiddenSize);
            Assert.Equal(summary.Width, sae.FeatureCount);
            var quality = JsonSerializer.Deserialize<SasDashboard.Steering.Training.SaeQuality>(
                File.ReadAllText(Path.Combine(Path.GetDirectoryName(summary.Path)!, "quality.json")));
            Assert.Equal(summary.Quality, quality);
        }
    }

    [Fact]
    public async Task DatasetsImportThroughTheImportersForTheRealFormats()
    {
        var paths = demo.Workspace.Datasets;
        var recipe = DemoRecipe.For(DemoSize.Test);
        foreach (var behavior in DemoBehavior.All)
        {
            Assert.Equal(recipe.GeneratePairs, (await CaaBehaviorImporter.ImportAsync(paths.Generate(behavior.Id), Ct)).Items.Count);
            var test = await CaaBehaviorImporter.ImportAsync(paths.TestAb(behavior.Id), Ct);
            Assert.Equal(recipe.TestItems, test.Items.Count);
            Assert.Equal(test.Items.Count / 2, test.Items.Count(i => i.MatchingLetter == 'A'));
            Assert.Equal(recipe.OpenEndedItems, (await CaaOpenEndedImporter.ImportAsync(paths.TestOpenEnded(behavior.Id), Ct)).Items.Count);
        }
        var mmlu = await MmluImporter.ImportAsync(paths.Mmlu, Ct);
        Assert.Equal(SyntheticWorld.Attributes.Select(a => a.Subject).Order(), mmlu.Subjects.Order());
        Assert.NotEmpty(mmlu.Items(MmluSplit.Dev));
        var truthfulQa = await TruthfulQaMcTaskImporter.ImportAsync(paths.TruthfulQa, Ct);
        Assert.Equal(recipe.Entities * SyntheticWorld.Attributes.Count, truthfulQa.Items.Count);
    }

    [Fact]
    public void VectorsAreSavedWithTheirProvenance()
    {
        foreach (var curve in Report.Behaviors.SelectMany(b => b.Curves))
        {
            using var vector = SteeringVectorFile.Load(curve.VectorPath);
            Assert.Equal(Report.Model.SteeringLayer, vector.Provenance.Layer);
            Assert.Equal(curve.L0, vector.L0);
            Assert.Equal(curve.SaeWidth, vector.Sae?.FeatureCount);
        }
    }

    [Fact]
    public async Task PreparingAgainReusesTheFinishedWorkspace()
    {
        var again = await demo.Workspace.PrepareAsync(DemoSize.Test, DemoWorkspaceFixture.Seed, cancellationToken: Ct);
        Assert.Equal(Report.CreatedAt, again.CreatedAt);
    }
}

/// <summary>Caching, cancellation and determinism, on workspaces of their own.</summary>
public sealed class DemoWorkspaceLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AReportFromAnotherGeneratorVersionRecipeOrSeedIsNotReused()
    {
        using var temp = new TempDirectory();
        var workspace = new DemoWorkspace(temp.Path);
        Directory.CreateDirectory(workspace.ModelDirectory);
        var recipe = DemoRecipe.For(DemoSize.Test);
        void WriteReport(int version, DemoRecipe made) => File.WriteAllText(workspace.ReportPath,
            JsonSerializer.Serialize(new { GeneratorVersion = version, Size = made.Size.ToString(), Seed = 3, Recipe = made }));

        WriteReport(DemoWorkspace.GeneratorVersion, recipe);
        Assert.NotNull(workspace.TryReadReport(DemoSize.Test, 3));
        Assert.Null(workspace.TryReadReport(DemoSize.Test, 4));
        Assert.Null(workspace.TryReadReport(DemoSize.Small, 3));
        Assert.Null(workspace.TryReadReport(recipe with { TrainingSteps = recipe.TrainingSteps + 1 }, 3));
        Assert.Null(workspace.TryReadReport(recipe with { Lambdas = [.. recipe.Lambdas, 4] }, 3));
        WriteReport(DemoWorkspace.GeneratorVersion - 1, recipe);
        Assert.Null(workspace.TryReadReport(DemoSize.Test, 3));
        File.WriteAllText(workspace.ReportPath, "{ not json");
        Assert.Null(workspace.TryReadReport(DemoSize.Test, 3));
    }

    [Fact]
    public async Task CancellingTheBuildStopsItAndLeavesNoReport()
    {
        using var temp = new TempDirectory();
        var workspace = new DemoWorkspace(Path.Combine(temp.Path, "demo"));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stages = new List<string>();
        var progress = new SynchronousProgress<DemoProgress>(p =>
        {
            stages.Add(p.Stage);
            if (p.Stage.StartsWith("model", StringComparison.Ordinal) && p.Done >= 3) cancellation.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            workspace.PrepareAsync(DemoSize.Test, 7, progress, cancellation.Token));
        Assert.Contains(stages, s => s.StartsWith("model", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.ReportPath));
        Assert.Null(workspace.TryReadReport(DemoSize.Test, 7));
    }

    [Fact]
    public async Task AFolderThatIsNotADemoWorkspaceIsNeverCleared()
    {
        using var temp = new TempDirectory();
        var precious = Path.Combine(temp.Path, "notes.txt");
        File.WriteAllText(precious, "keep me");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new DemoWorkspace(temp.Path).PrepareAsync(DemoSize.Test, 7, cancellationToken: Ct));
        Assert.Contains("not a demo workspace", error.Message);
        Assert.Equal("keep me", File.ReadAllText(precious));
    }

    [Fact]
    public void TheWorldCorpusAndDatasetsFollowFromTheSeed()
    {
        using var temp = new TempDirectory();
        var recipe = DemoRecipe.For(DemoSize.Test);
        string Corpus(int seed) => string.Join("\n--\n", new DemoCorpus(new SyntheticWorld(recipe.Entities, recipe.Strangers, seed), PromptTemplate.Plain)
            .Documents(new DemoCorpusOptions(200), new Random(seed)).Select(d => d.Text));
        Assert.Equal(Corpus(5), Corpus(5));
        Assert.NotEqual(Corpus(5), Corpus(6));

        var options = new DemoDatasetOptions(10, 8, 3);
        var world = new SyntheticWorld(recipe.Entities, recipe.Strangers, 5);
        DemoDatasetWriter.Write(Path.Combine(temp.Path, "a"), world, options, 9);
        DemoDatasetWriter.Write(Path.Combine(temp.Path, "b"), world, options, 9);
        var files = Directory.GetFiles(Path.Combine(temp.Path, "a"), "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(file.Replace($"{Path.DirectorySeparatorChar}a{Path.DirectorySeparatorChar}",
                $"{Path.DirectorySeparatorChar}b{Path.DirectorySeparatorChar}")));
    }
}
