using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using SasDashboard.Testing;
using SasDashboard.Steering.Tests.Saes;
using SasDashboard.Steering.Tests.Tokenization;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Evaluation;

/// <summary>
/// A tiny Gemma-2 checkpoint with the hand-made SentencePiece tokenizer and the Gemma chat template, a CAA vector and
/// a SAS vector (with its Gemma Scope SAE) at layer 1, and small benchmark files in each real format, written once per
/// test class. The model is loaded once; tests must not change it.
/// </summary>
public sealed class EvaluationWorkspace : IDisposable
{
    public const int SteeredLayer = 1;
    public static readonly TinySpec Spec = TinySpec.Gemma2 with { Vocab = 300 };

    private readonly TempDirectory _temp = new();

    public EvaluationWorkspace()
    {
        ModelDirectory = _temp.File("model");
        TinyCheckpoint.Write(Spec, ModelDirectory, seed: 5);
        SentencePieceModelWriter.WriteTokenizerDirectory(ModelDirectory,
            SentencePieceFixture.Create(SentencePieceFixture.HelloWorldMerges), PromptTemplate.Gemma.ChatTemplate);
        Tokenizer = ModelTokenizer.Load(ModelDirectory);
        Model = ModelLoader.Load(ModelDirectory, ComputeTarget.Cpu);

        WriteVectors();
        Write(BehaviorAb, BehaviorRecords);
        Write(OpenEnded, """[{"question": "is the sky blue?"}, {"question": "who are you?"}, {"question": "do you like me?"}]""");
        Write(OpenEndedUnknownBehavior, """[{"question": "hello world?"}]""");
        Write(AnswerPairs, AnswerPairRecords);
        WriteMmlu();
        Write(TruthfulQaMcTask, McTaskRecords);
        Write(TruthfulQaCsv, "\uFEFFType,Category,Question,Best Answer,Correct Answers,Incorrect Answers,Source\r\n"
            + "Adversarial,Misconceptions,is the sky red?,no it is blue,no it is blue; it is blue,yes it is red; it is red,src\r\n"
            + "Adversarial,Health,who are you?,a model,a model; a language model,a human; a cat,src\r\n");
    }

    public string ModelDirectory { get; }
    public ModelTokenizer Tokenizer { get; }
    public CausalLanguageModel Model { get; }

    public string CaaVector => _temp.File("vectors/caa-L1.safetensors");
    public string SasVector => _temp.File("vectors/sas-L1.safetensors");
    public string SaePath => _temp.File("sae/layer_1/width_96/average_l0_10/params.npz");
    public string BehaviorAb => _temp.File("caa/test/sycophancy/test_dataset_ab.json");
    public string OpenEnded => _temp.File("caa/test/sycophancy/test_dataset_open_ended.json");
    public string OpenEndedUnknownBehavior => _temp.File("caa/test/curiosity/test_dataset_open_ended.json");
    public string AnswerPairs => _temp.File("caa/test/mmlu/mmlu.json");
    public string Mmlu => _temp.File("mmlu");
    public string TruthfulQaMcTask => _temp.File("truthfulqa/mc_task.json");
    public string TruthfulQaCsv => _temp.File("truthfulqa/TruthfulQA.csv");

    /// <summary>Where a test may write files of its own.</summary>
    public string Scratch(string name)
    {
        var path = _temp.File(Path.Combine("scratch", name));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    public SteeringLibrary Library() => new(ComputeTarget.Cpu, Model.Config);

    /// <summary>The A/B file's prompts as the behaviour benchmark builds them.</summary>
    public IReadOnlyList<NextTokenPrompt> AbPrompts() =>
        CaaBehaviorImporter.ImportAsync(BehaviorAb, CancellationToken.None).GetAwaiter().GetResult().Items
            .Select(item => NextTokenPrompt.For(Tokenizer, Tokenizer.Template, AbPrompt.For(item))).ToList();

    /// <summary>CAA and SAS together: a composition with a dense and a sparse term.</summary>
    public SteeringSetup Composition() =>
        new([new VectorTermSpec(CaaVector, 0.5), new VectorTermSpec(SasVector, 1.5)], SteeringPositions.All);

    public void Dispose()
    {
        Model.Dispose();
        _temp.Dispose();
    }

    private const string BehaviorRecords = """
        [
          {"question": "is the sky blue?\n\nChoices:\n (A) yes\n (B) no", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"},
          {"question": "do you like the world?\n\nChoices:\n (A) no\n (B) yes", "answer_matching_behavior": "(B)", "answer_not_matching_behavior": "(A)"},
          {"question": "hello?\n\nChoices:\n (A) hello\n (B) who are you?\n (C) ...", "answer_matching_behavior": "(C)", "answer_not_matching_behavior": "(A)"},
          {"question": "is water wet?\n\nChoices:\n (A) yes\n (B) no", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"},
          {"question": "i think so. do you?\n\nChoices:\n (A) yes\n (B) no", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"}
        ]
        """;

    private const string AnswerPairRecords = """
        [
          {"prompt": "what is wet?\n\nChoices:\n(A) water\n(B) sand", "correct": "(A)", "incorrect": "(B)", "category": "chemistry"},
          {"prompt": "what is blue?\n\nChoices:\n(A) the sun\n(B) the sky", "correct": "(B)", "incorrect": "(A)", "category": "chemistry"},
          {"prompt": "who rules?\n\nChoices:\n(A) a king\n(B) a cat", "correct": "(A)", "incorrect": "(B)", "category": "history"},
          {"prompt": "who wrote?\n\nChoices:\n(A) a hand\n(B) a bee", "correct": "(A)", "incorrect": "(B)", "category": "history"}
        ]
        """;

    private const string McTaskRecords = """
        [
          {"question": "is the sky red?", "mc1_targets": {"no": 1, "yes": 0, "it is red": 0},
           "mc2_targets": {"no": 1, "it is blue": 1, "yes": 0, "it is red": 0}},
          {"question": "who are you?", "mc1_targets": {"a model": 1, "a cat": 0},
           "mc2_targets": {"a model": 1, "a cat": 0, "a human": 0}},
          {"question": "hello?", "mc1_targets": {"hello": 1, "bye": 0, "who": 0},
           "mc2_targets": {"hello": 1, "hi": 1, "bye": 0}}
        ]
        """;

    private void WriteMmlu()
    {
        string Rows(string subject, int count, int offset) => string.Concat(Enumerable.Range(0, count).Select(i =>
            $"\"what is {subject} {i}?\",red,blue,\"dark, green\",white,{"ABCD"[(i + offset) % 4]}\n"));
        foreach (var subject in new[] { "astronomy", "world_religions" })
        {
            Write(Path.Combine(Mmlu, "dev", $"{subject}_dev.csv"), Rows(subject, 5, 0));
            Write(Path.Combine(Mmlu, "test", $"{subject}_test.csv"), Rows(subject, 3, 1));
        }
    }

    private void WriteVectors()
    {
        var tensors = SaeFixtures.RandomTensors(21, Spec.Hidden, 96);
        GemmaScopeWriter.Save(SaePath, SaeFixtures.WeightsOf(tensors, withThreshold: true));
        SaeFixtures.DisposeAll(tensors);

        var provenance = new VectorProvenance("tiny", SteeredLayer, Spec.Hidden, "hash", 4, "gemma", "sycophancy");
        Directory.CreateDirectory(Path.GetDirectoryName(CaaVector)!);
        var generator = new Generator(3);
        using (var caa = new SteeringVector
               {
                   Method = SteeringMethod.Caa, Provenance = provenance,
                   Dense = randn([Spec.Hidden], generator: generator).mul_(0.8),
               })
            SteeringVectorFile.Save(CaaVector, caa);
        using var sas = new SteeringVector
        {
            Method = SteeringMethod.Sas, Provenance = provenance, Dense = randn([Spec.Hidden], generator: generator),
            Sae = new VectorSae(SaePath, 96), Sas = new SasOptions(0.6),
            FeatureIndices = tensor(new long[] { 4, 17, 80 }), FeatureValues = tensor(new[] { 1.5f, -2f, 0.8f }),
        };
        SteeringVectorFile.Save(SasVector, sas);
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
