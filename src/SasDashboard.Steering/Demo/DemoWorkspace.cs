using System.Diagnostics;
using System.Text.Json;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Evaluation.Sweeps;
using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Training;
using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Demo;

public sealed record DemoProgress(string Stage, int Done, int Total, string? Detail = null);

/// <summary>
/// The demo workspace: a world, a Gemma-2-architecture model trained on it, JumpReLU SAEs on its residual stream,
/// benchmark files in the real formats, CAA and SAS vectors and their λ curves — all made here, deterministically for a
/// seed, in the same file formats as real checkpoints so that they go through the same loaders. A finished workspace
/// is reused until the generator version, size or seed changes.
/// </summary>
public sealed class DemoWorkspace
{
    /// <summary>Bump whenever anything that changes the workspace's content changes.</summary>
    public const int GeneratorVersion = 2;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Root { get; }
    public string ModelDirectory => Path.Combine(Root, "model");
    public DemoDatasetPaths Datasets => new(Path.Combine(Root, "datasets"));
    public string VectorDirectory => Path.Combine(Root, "vectors");
    public string ReportPath => Path.Combine(Root, "demo-report.json");
    private string CacheDirectory => Path.Combine(Root, "activation-cache");

    public DemoWorkspace(string root) => Root = Path.GetFullPath(root);

    public string SaeDirectory(int layer, int width) => Path.Combine(Root, "saes", $"layer_{layer}", $"width_{width}");

    /// <summary>The finished workspace's report, or null when it is missing or was made by another generator, recipe or seed.</summary>
    public DemoReport? TryReadReport(DemoSize size, int seed) => TryReadReport(DemoRecipe.For(size), seed);

    /// <inheritdoc cref="TryReadReport(DemoSize, int)"/>
    public DemoReport? TryReadReport(DemoRecipe recipe, int seed)
    {
        if (!File.Exists(ReportPath)) return null;
        try
        {
            var report = JsonSerializer.Deserialize<DemoReport>(File.ReadAllText(ReportPath), Json);
            return report is not null && report.GeneratorVersion == GeneratorVersion && report.Seed == seed
                   && report.Recipe is not null && JsonSerializer.Serialize(report.Recipe) == JsonSerializer.Serialize(recipe)
                   && Directory.Exists(ModelDirectory)
                ? report
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Returns the finished workspace's report, building the workspace first when needed. Concurrent callers (two test
    /// processes, a dashboard and a CLI) wait for one build instead of racing.
    /// </summary>
    public Task<DemoReport> PrepareAsync(DemoSize size, int seed, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        PrepareAsync(DemoRecipe.For(size), seed, progress, cancellationToken);

    /// <inheritdoc cref="PrepareAsync(DemoSize, int, IProgress{DemoProgress}?, CancellationToken)"/>
    public async Task<DemoReport> PrepareAsync(DemoRecipe recipe, int seed, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (TryReadReport(recipe, seed) is { } ready) return ready;
        Directory.CreateDirectory(Path.GetDirectoryName(Root)!);
        await using var buildLock = await AcquireLockAsync(Root + ".lock", cancellationToken);
        if (TryReadReport(recipe, seed) is { } builtMeanwhile) return builtMeanwhile;
        ClearForRebuild();
        return await Task.Run(() => BuildAsync(recipe, seed, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Marks a folder as a demo workspace: only such a folder (or an empty one) is ever cleared for a rebuild.</summary>
    private string MarkerPath => Path.Combine(Root, ".sas-demo-workspace");

    private void ClearForRebuild()
    {
        if (Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root).Any())
        {
            if (!File.Exists(MarkerPath) && !File.Exists(ReportPath))
                throw new InvalidOperationException(
                    $"{Root} is not empty and is not a demo workspace; choose an empty or new folder (nothing was changed)");
            Directory.Delete(Root, recursive: true);
        }
        Directory.CreateDirectory(Root);
        File.WriteAllText(MarkerPath, $"demo workspace, generator version {GeneratorVersion}\n");
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1,
                    FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private async Task<DemoReport> BuildAsync(DemoRecipe recipe, int seed, IProgress<DemoProgress>? progress,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var stages = new List<StageTiming>();
        var stage = Stopwatch.StartNew();
        void Done(string name)
        {
            stages.Add(new StageTiming(name, stage.Elapsed.TotalSeconds));
            stage.Restart();
        }

        progress?.Report(new DemoProgress("world", 0, 1));
        var world = new SyntheticWorld(recipe.Entities, recipe.Strangers, seed);
        var corpus = new DemoCorpus(world, PromptTemplate.Plain);
        var documents = corpus.Documents(
            recipe.PlantedDispositions ? DemoCorpusOptions.Planted(recipe.Documents) : new DemoCorpusOptions(recipe.Documents),
            new Random(seed + 1));
        var firstPhaseDocuments = corpus.Documents(
            recipe.PlantedDispositions
                ? DemoCorpusOptions.DispositionsFirst(recipe.Documents / 4)
                : DemoCorpusOptions.ReadingOnly(recipe.Documents / 4),
            new Random(seed + 2));
        Done("world and corpus");

        var tokenizer = TrainTokenizer(documents, recipe);
        Done("tokenizer");

        using var planted = recipe.PlantedDispositions ? CreatePlantedDirections(recipe, seed) : null;
        using var model = TrainModel(recipe, seed, tokenizer, documents, firstPhaseDocuments, planted, progress, cancellationToken,
            out double finalLoss);
        Done("model");

        DemoDatasetWriter.Write(Datasets.Root, world,
            new DemoDatasetOptions(recipe.GeneratePairs, recipe.TestItems, recipe.OpenEndedItems), seed + 3);
        Done("datasets");

        var saes = TrainSaes(model, tokenizer, documents, recipe, seed, progress, cancellationToken, out double residualNorm);
        Done("sparse autoencoders");

        var vectors = await BuildVectorsAsync(model, tokenizer, recipe, saes, planted, progress, cancellationToken);
        Done("steering vectors");

        var (knowledge, bySubject, mc1, mc2, behaviors) =
            await EvaluateAsync(model, tokenizer, recipe, vectors, residualNorm, progress, cancellationToken);
        Done("evaluation");

        var report = new DemoReport(GeneratorVersion, recipe.Size.ToString(), seed, recipe, DateTimeOffset.UtcNow,
            total.Elapsed.TotalSeconds, stages,
            new DemoModelSummary(ModelDirectory, model.Config.Architecture, model.Config.HiddenSize, model.Config.NumLayers,
                model.Config.VocabSize, model.Config.ParameterCount(), recipe.FirstPhaseSteps + recipe.TrainingSteps,
                finalLoss, recipe.SteeringLayer, residualNorm),
            knowledge, bySubject, mc1, mc2, saes, behaviors, recipe.Lambdas);
        var temporary = ReportPath + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(report, Json));
        File.Move(temporary, ReportPath, overwrite: true); // the report's presence marks a finished workspace
        progress?.Report(new DemoProgress("done", 1, 1));
        return report;
    }

    private ModelTokenizer TrainTokenizer(IReadOnlyList<TrainingText> documents, DemoRecipe recipe)
    {
        var pieces = BpeTrainer.Train(documents.Select(d => d.Text), new BpeTrainerOptions { VocabularySize = recipe.VocabularySize });
        SentencePieceModelWriter.WriteTokenizerDirectory(ModelDirectory, pieces, chatTemplate: null);
        return ModelTokenizer.Load(ModelDirectory);
    }

    /// <summary>
    /// One random direction per behaviour, orthogonal to each other, of norm √hidden (about one per coordinate): in
    /// training, a conversation's dispositions are signalled by adding ±direction to its residual stream after the
    /// steering layer. Evaluation prompts get nothing, so the model's prior is even; a steering vector built from the
    /// generate split succeeds as far as it finds the direction again, which the report measures.
    /// </summary>
    private static Tensor CreatePlantedDirections(DemoRecipe recipe, int seed)
    {
        using var scope = NewDisposeScope();
        var random = randn([recipe.HiddenSize, DemoBehavior.All.Count], generator: new Generator((ulong)seed + 4));
        var (q, _) = linalg.qr(random);
        return (q.t() * Math.Sqrt(recipe.HiddenSize)).contiguous().MoveToOuterDisposeScope();
    }

    private CausalLanguageModel TrainModel(DemoRecipe recipe, int seed, ModelTokenizer tokenizer,
        IReadOnlyList<TrainingText> documents, IReadOnlyList<TrainingText> firstPhaseDocuments, Tensor? planted,
        IProgress<DemoProgress>? progress, CancellationToken cancellationToken, out double finalLoss)
    {
        var config = new ModelConfig
        {
            Architecture = ModelConfig.Gemma2Architecture, ModelType = "gemma2", HiddenSize = recipe.HiddenSize,
            IntermediateSize = recipe.IntermediateSize, NumLayers = recipe.Layers, NumHeads = recipe.Heads,
            NumKeyValueHeads = recipe.KeyValueHeads, HeadDim = recipe.HiddenSize / recipe.Heads,
            VocabSize = tokenizer.VocabularySize, RmsNormEps = 1e-6, RopeTheta = 10000, MaxPositionEmbeddings = 1024,
            TieWordEmbeddings = true, QueryPreAttnScalar = recipe.HiddenSize / recipe.Heads, SlidingWindow = 512,
            AttnLogitSoftcapping = 50, FinalLogitSoftcapping = 30, HiddenActivation = "gelu_pytorch_tanh",
            BosTokenId = tokenizer.BosId, EosTokenIds = tokenizer.EosIds, PadTokenId = tokenizer.PadId,
        };
        var model = ModelLoader.Create(config, new RandomWeightSource(seed, ScalarType.Float32, CPU, trainable: true),
            ComputeTarget.Cpu);
        try
        {
            int totalSteps = recipe.FirstPhaseSteps + recipe.TrainingSteps;
            // Dispositions are planted after the steering layer, and the model's own residual there at each answer
            // letter is held to the disposition that answer shows: where CAA and SAS read their contrast and add it.
            var dispositions = planted is null
                ? null
                : new PlantedDirections(planted, recipe.SteeringLayer,
                    recipe.ShownDispositionWeight > 0 ? recipe.SteeringLayer : null, recipe.ShownDispositionWeight);
            // A first phase of conversations alone teaches reading the choices and acting on the dispositions, which
            // a small model otherwise picks up late or not at all next to the knowledge-heavy mix.
            LanguageModelTrainer.Train(model, firstPhaseDocuments.Select(d => d.Tokenize(tokenizer)).ToList(), tokenizer.PadId,
                new LanguageModelTrainingOptions(recipe.FirstPhaseSteps, recipe.BatchSize, recipe.SequenceLength,
                    recipe.LearningRate, recipe.LearningRate, WarmupSteps: 20, Seed: seed),
                Report(progress, "model (first phase)", 0, totalSteps), cancellationToken, dispositions);
            finalLoss = LanguageModelTrainer.Train(model, documents.Select(d => d.Tokenize(tokenizer)).ToList(), tokenizer.PadId,
                new LanguageModelTrainingOptions(recipe.TrainingSteps, recipe.BatchSize, recipe.SequenceLength,
                    recipe.LearningRate, recipe.LearningRate / 10, WarmupSteps: 30, Seed: seed + 1),
                Report(progress, "model", recipe.FirstPhaseSteps, totalSteps), cancellationToken, dispositions);
            ModelCheckpointWriter.Save(model, ModelDirectory);
            File.WriteAllText(Path.Combine(ModelDirectory, "generation_config.json"),
                JsonSerializer.Serialize(new { bos_token_id = tokenizer.BosId, eos_token_id = tokenizer.EosIds, pad_token_id = tokenizer.PadId }, Json));
            model.SourceDirectory = ModelDirectory;
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static IProgress<TrainingProgress> Report(IProgress<DemoProgress>? progress, string stage, int offset, int total) =>
        new SynchronousProgress<TrainingProgress>(p =>
            progress?.Report(new DemoProgress(stage, offset + p.Step, total, $"loss {p.Loss:F3}")));

    private List<DemoSaeSummary> TrainSaes(CausalLanguageModel model, ModelTokenizer tokenizer,
        IReadOnlyList<TrainingText> documents, DemoRecipe recipe, int seed, IProgress<DemoProgress>? progress,
        CancellationToken cancellationToken, out double residualNorm)
    {
        using var activations = ResidualActivations.Collect(model, documents.Select(d => d.Tokenize(tokenizer).Ids).ToList(),
            recipe.SteeringLayer, recipe.SaeActivationTokens, tokenizer.PadId, cancellationToken);
        using (var norms = activations.norm(1)) residualNorm = norms.mean().item<float>();
        long heldOut = Math.Max(1, activations.shape[0] / 10);
        using var training = activations.narrow(0, 0, activations.shape[0] - heldOut);
        using var evaluation = activations.narrow(0, activations.shape[0] - heldOut, heldOut);
        var summaries = new List<DemoSaeSummary>();
        foreach (var (multiplier, index) in recipe.SaeWidthMultipliers.Select((m, i) => (m, i)))
        {
            int width = multiplier * recipe.HiddenSize;
            progress?.Report(new DemoProgress("sparse autoencoders", index, recipe.SaeWidthMultipliers.Count, $"width {width}"));
            using var sae = SaeTrainer.Train(training,
                new SaeTrainingOptions(width, recipe.SaeSteps, recipe.SaeBatchSize, SparsityCoefficient: recipe.SaeSparsity, Seed: seed + index),
                $"demo layer {recipe.SteeringLayer} width {width}", cancellationToken: cancellationToken);
            var quality = SaeEvaluation.Measure(sae, evaluation);
            // Gemma Scope's layout: layer_{L}/width_{W}/average_l0_{N}/params.npz.
            var directory = Path.Combine(SaeDirectory(recipe.SteeringLayer, width), $"average_l0_{(int)Math.Round(quality.MeanL0)}");
            var path = GemmaScopeWriter.Save(directory, sae);
            File.WriteAllText(Path.Combine(directory, "quality.json"), JsonSerializer.Serialize(quality, Json));
            summaries.Add(new DemoSaeSummary(width, path, quality));
        }
        return summaries;
    }

    private async Task<Dictionary<string, List<(string Method, int? Width, string Path)>>> BuildVectorsAsync(
        CausalLanguageModel model, ModelTokenizer tokenizer, DemoRecipe recipe, IReadOnlyList<DemoSaeSummary> saes,
        Tensor? planted, IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(VectorDirectory);
        var cache = new ActivationCache(CacheDirectory);
        var loadedSaes = saes.Select(s => (s.Width, s.Path, Sae: SaeLoader.Load(s.Path, ComputeTarget.Cpu, model.Config.HiddenSize))).ToList();
        try
        {
            var result = new Dictionary<string, List<(string, int?, string)>>();
            int layer = recipe.SteeringLayer;
            foreach (var (behavior, index) in DemoBehavior.All.Select((b, i) => (b, i)))
            {
                progress?.Report(new DemoProgress("steering vectors", index, DemoBehavior.All.Count, behavior.Id));
                var dataset = await CaaBehaviorImporter.ImportAsync(Datasets.Generate(behavior.Id), cancellationToken);
                using var activations = ActivationCollector.Collect(model, tokenizer, dataset, [layer], tokenizer.Template,
                    cache: cache, cancellationToken: cancellationToken)[layer];
                var provenance = new VectorProvenance("sas-demo", layer, model.Config.HiddenSize, dataset.ContentHash,
                    activations.Pairs, tokenizer.Template.Name, behavior.Id, dataset.SourcePath);
                var paths = new List<(string, int?, string)>();
                if (planted is not null)
                {
                    // The planted direction itself, saved as a dense vector: the reference the built vectors are held to.
                    var plantedPath = Path.Combine(VectorDirectory, $"{behavior.Id}-planted-L{layer}.safetensors");
                    using var reference = new SteeringVector
                    {
                        Method = SteeringMethod.Caa, Provenance = provenance with { Pairs = 0 },
                        Dense = planted[index].clone(),
                    };
                    SteeringVectorFile.Save(plantedPath, reference);
                    paths.Add((DemoSteeringCurve.PlantedMethod, null, plantedPath));
                }
                var caaPath = Path.Combine(VectorDirectory, $"{behavior.Id}-caa-L{layer}.safetensors");
                using (var caa = CaaVectorBuilder.Build(activations, provenance)) SteeringVectorFile.Save(caaPath, caa);
                paths.Add(("caa", null, caaPath));
                foreach (var (width, saePath, sae) in loadedSaes)
                {
                    var sasPath = Path.Combine(VectorDirectory, $"{behavior.Id}-sas-w{width}-L{layer}.safetensors");
                    using var sas = SasVectorBuilder.Build(activations, sae, new SasOptions(), provenance, saePath, cancellationToken);
                    SteeringVectorFile.Save(sasPath, sas);
                    paths.Add(("sas", width, sasPath));
                }
                result[behavior.Id] = paths;
            }
            return result;
        }
        finally
        {
            foreach (var (_, _, sae) in loadedSaes) sae.Dispose();
        }
    }

    private async Task<(double, IReadOnlyDictionary<string, double>, double, double, List<DemoBehaviorSummary>)> EvaluateAsync(
        CausalLanguageModel model, ModelTokenizer tokenizer, DemoRecipe recipe,
        Dictionary<string, List<(string Method, int? Width, string Path)>> vectors, double residualNorm,
        IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        using var library = new SteeringLibrary(ComputeTarget.Cpu, model.Config);
        var runner = new SweepRunner(model, tokenizer, library);
        var knowledgePlan = new SweepPlan(
            [new BenchmarkSpec(BenchmarkKind.Mmlu, Datasets.Mmlu), new BenchmarkSpec(BenchmarkKind.TruthfulQa, Datasets.TruthfulQa)],
            [SteeringSetup.None], [0]);
        var knowledge = await runner.RunAsync(knowledgePlan, cancellationToken);
        var mmlu = (MmluAggregate)knowledge.Single(p => p.Point.Benchmark.Kind == BenchmarkKind.Mmlu).Aggregate;
        var truthfulQa = (TruthfulQaAggregate)knowledge.Single(p => p.Point.Benchmark.Kind == BenchmarkKind.TruthfulQa).Aggregate;

        var behaviors = new List<DemoBehaviorSummary>();
        foreach (var (behavior, index) in DemoBehavior.All.Select((b, i) => (b, i)))
        {
            progress?.Report(new DemoProgress("evaluation", index, DemoBehavior.All.Count, behavior.Id));
            var benchmark = new BenchmarkSpec(BenchmarkKind.Behavior, Datasets.TestAb(behavior.Id));
            var loaded = vectors[behavior.Id].ToDictionary(v => v.Path, v => SteeringVectorFile.Load(v.Path));
            try
            {
                // Every vector is rescaled to the mean residual norm, so λ = 1 pushes as far as a typical residual
                // vector is long, whatever the method or SAE: the curves share one scale.
                var setups = loaded.ToDictionary(v => v.Key, v => new SteeringSetup(
                    [new VectorTermSpec(v.Key, NormTo: v.Value.Norm > 0 ? residualNorm : null)], SteeringPositions.All));
                var results = await runner.RunAsync(new SweepPlan([benchmark], [SteeringSetup.None, .. setups.Values], recipe.Lambdas),
                    cancellationToken);
                var dataset = await CaaBehaviorImporter.ImportAsync(Datasets.TestAb(behavior.Id), cancellationToken);
                var prompts = dataset.Items.Select(item => NextTokenPrompt.For(tokenizer, tokenizer.Template, AbPrompt.For(item))).ToList();
                double baseline = Share(results.Single(r => r.Point.Setup.IsNone));
                var planted = vectors[behavior.Id].Where(v => v.Method == DemoSteeringCurve.PlantedMethod)
                    .Select(v => loaded[v.Path]).FirstOrDefault();
                var curves = new List<DemoSteeringCurve>();
                foreach (var (method, width, path) in vectors[behavior.Id])
                {
                    var setup = setups[path];
                    var vector = loaded[path];
                    var points = results.Where(r => r.Point.Setup.Key == setup.Key).OrderBy(r => r.Point.Lambda)
                        .Select(r => new DemoCurvePoint(r.Point.Lambda, Share(r), Interval(r).Lower, Interval(r).Upper)).ToList();
                    double Shift(DemoCurvePoint p) => Math.Sign(p.Lambda) * (p.MatchingShare - baseline);
                    var best = points.MaxBy(Shift)!;
                    double zero = ZeroStrengthShare(model, tokenizer.PadId, library, setup, prompts, cancellationToken);
                    double? cosine = planted is null ? null : Cosine(vector, planted);
                    curves.Add(new DemoSteeringCurve(method, width, path, vector.L0, vector.Norm, points, Shift(best), best.Lambda,
                        zero, zero == baseline, cosine));
                }
                behaviors.Add(new DemoBehaviorSummary(behavior.Id, baseline, curves));
            }
            finally
            {
                foreach (var vector in loaded.Values) vector.Dispose();
            }
        }
        return (mmlu.Accuracy.Mean, mmlu.Subjects.ToDictionary(s => s.Category, s => s.Accuracy.Mean),
            truthfulQa.Mc1.Mean, truthfulQa.Mc2.Mean, behaviors);
    }

    /// <summary>The A/B score with the vector's hook attached at strength 0 — computed through the hook, not reused
    /// from the unsteered run, so that "λ = 0 changes nothing" is measured rather than assumed.</summary>
    private static double ZeroStrengthShare(CausalLanguageModel model, int padId, SteeringLibrary library,
        SteeringSetup setup, IReadOnlyList<NextTokenPrompt> prompts, CancellationToken cancellationToken)
    {
        using var hook = library.CreateHook(setup, 0)!;
        var probabilities = NextTokenScorer.Probabilities(model, prompts, padId, [hook], cancellationToken: cancellationToken);
        return probabilities.Average(p => p[0] / (p[0] + p[1]));
    }

    /// <summary>Cosine between a vector's residual-space direction (decoded, for SAS) and the planted direction.</summary>
    private static double Cosine(SteeringVector vector, SteeringVector planted)
    {
        using var scope = NewDisposeScope();
        var a = vector.Dense.to(ScalarType.Float32);
        var b = planted.Dense.to(ScalarType.Float32);
        double norms = (a.norm() * b.norm()).item<float>();
        return norms == 0 ? 0 : a.dot(b).item<float>() / norms;
    }

    private static double Share(PointResult result) => ((PairedAnswerAggregate)result.Aggregate).PositiveShare.Mean;

    private static (double Lower, double Upper) Interval(PointResult result)
    {
        var share = ((PairedAnswerAggregate)result.Aggregate).PositiveShare;
        return (share.Lower ?? share.Mean, share.Upper ?? share.Mean);
    }
}
