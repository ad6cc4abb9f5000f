using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tests.Tokenization;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Vectors;
using SasDashboard.Testing;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Vectors;

/// <summary>
/// A behaviour planted in the data with a known answer: in every pair the matching answer is "(A)". A vector built
/// from those pairs must carry "answer A" and, added to a model whose residual stream still holds its token
/// embeddings (a small random Gemma-2 with a tied head), raise P(A) for λ &gt; 0 and lower it for λ &lt; 0 — through
/// CAA, and through SAS in an SAE that reconstructs exactly (features = positive and negative parts of each dimension).
/// </summary>
public sealed class PlantedBehaviorTests : IDisposable
{
    private const int Layer = 1;
    private readonly TempDirectory _temp = new();
    private readonly CausalLanguageModel _model;
    private readonly ModelTokenizer _tokenizer;
    private readonly BehaviorDataset _pairs;

    public PlantedBehaviorTests()
    {
        var spec = TinySpec.Gemma2 with { Vocab = 300 };
        var directory = _temp.File("model");
        TinyCheckpoint.Write(spec, directory, seed: 11);
        SentencePieceModelWriter.WriteTokenizerDirectory(directory,
            SentencePieceFixture.Create(SentencePieceFixture.HelloWorldMerges), PromptTemplate.Gemma.ChatTemplate);
        _tokenizer = ModelTokenizer.Load(directory);
        _model = ModelLoader.Load(directory, ComputeTarget.Cpu);
        string[] questions = ["hello world?", "is the world old?", "who are you?", "do you like hello?", "is it low?", "where are we?"];
        var records = string.Join(",", questions.SelectMany(q => new[] { ("yes", "no"), ("no", "yes") }, (q, c) =>
            $$"""{"question": "{{q}}\n\nChoices:\n (A) {{c.Item1}}\n (B) {{c.Item2}}", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"}"""));
        var path = _temp.File("planted/generate_dataset.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"[{records}]");
        _pairs = CaaBehaviorImporter.ImportAsync(path, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
    }

    [Fact]
    public void CaaVector_MovesTheMatchingAnswerProbabilityWithTheSignOfLambda()
    {
        using var activations = Collect();
        using var vector = CaaVectorBuilder.Build(activations, Provenance());
        AssertMovesWithLambda(lambda => new DenseTerm(Layer, vector.Dense, lambda));
    }

    [Fact]
    public void SasVector_MovesTheMatchingAnswerProbabilityWithTheSignOfLambda()
    {
        int hidden = _model.Config.HiddenSize;
        using var identity = eye(hidden);
        // Feature i is the positive part of dimension i, feature hidden + i its negative part: dec(enc(a)) = a.
        var saePath = _temp.File("sae/params.npz");
        GemmaScopeWriter.Save(saePath, new SaeWeights(cat([identity, -identity], 1), zeros(2 * hidden),
            cat([identity, -identity], 0), zeros(hidden), zeros(2 * hidden)));
        using var sae = SaeLoader.Load(saePath, ComputeTarget.Cpu, hidden);
        using var activations = Collect();
        using var vector = SasVectorBuilder.Build(activations, sae, new SasOptions(), Provenance(), saePath,
            TestContext.Current.CancellationToken);
        Assert.True(vector.L0 > 0);
        AssertMovesWithLambda(lambda => SteeringTerms.FromVector(vector, lambda, sae));
    }

    private ContrastiveActivations Collect() =>
        ActivationCollector.Collect(_model, _tokenizer, _pairs, [Layer], _tokenizer.Template,
            cancellationToken: TestContext.Current.CancellationToken)[Layer];

    private VectorProvenance Provenance() =>
        new("tiny", Layer, _model.Config.HiddenSize, _pairs.ContentHash, _pairs.Items.Count, _tokenizer.Template.Name, "planted");

    private void AssertMovesWithLambda(Func<double, SteeringTerm> term)
    {
        var prompts = _pairs.Items.Select(i => NextTokenPrompt.For(_tokenizer, _tokenizer.Template, AbPrompt.For(i))).ToList();
        double Share(double lambda)
        {
            using var hook = new SteeringHook([term(lambda)], SteeringPositions.All, CPU, ScalarType.Float32);
            return NextTokenScorer.Probabilities(_model, prompts, _tokenizer.PadId, [hook],
                cancellationToken: TestContext.Current.CancellationToken).Average(p => p[0] / (p[0] + p[1]));
        }
        double down = Share(-2), unsteered = Share(0), up = Share(2);
        Assert.True(up > unsteered + 0.05 && down < unsteered - 0.05, $"P(A) at λ = -2, 0, 2: {down:F3}, {unsteered:F3}, {up:F3}");
    }

    public void Dispose()
    {
        _model.Dispose();
        _temp.Dispose();
    }
}
