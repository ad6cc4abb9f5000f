using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Cli.Tests;

/// <summary>
/// A tiny random Gemma-2 checkpoint with a byte-fallback SentencePiece tokenizer and the Gemma chat template, a CAA
/// vector at layer 1 and small CAA files, written with the engine's own writers once per test class.
/// </summary>
public sealed class CliWorkspace : IDisposable
{
    private const int Hidden = 32;
    private readonly string _root = Directory.CreateTempSubdirectory("sas-cli-test-").FullName;

    public CliWorkspace()
    {
        var config = new ModelConfig
        {
            Architecture = ModelConfig.Gemma2Architecture, ModelType = "gemma2", HiddenSize = Hidden, IntermediateSize = 64,
            NumLayers = 2, NumHeads = 4, NumKeyValueHeads = 2, HeadDim = 16, VocabSize = 300, RmsNormEps = 1e-6,
            TieWordEmbeddings = true, QueryPreAttnScalar = 16, SlidingWindow = 16, AttnLogitSoftcapping = 50,
            FinalLogitSoftcapping = 30, HiddenActivation = "gelu_pytorch_tanh", BosTokenId = 2, EosTokenIds = [1], PadTokenId = 0,
        };
        using (var model = ModelLoader.Create(config, new RandomWeightSource(3, ScalarType.Float32, CPU, std: 0.3), ComputeTarget.Cpu))
            ModelCheckpointWriter.Save(model, ModelDirectory);
        SentencePieceModelWriter.WriteTokenizerDirectory(ModelDirectory, Tokenizer(), PromptTemplate.Gemma.ChatTemplate);

        using (var vector = new SteeringVector
               {
                   Method = SteeringMethod.Caa,
                   Provenance = new VectorProvenance("tiny", 1, Hidden, "hash", 3, "gemma", "sycophancy"),
                   Dense = randn([Hidden], generator: new Generator(5)),
               })
            SteeringVectorFile.Save(Vector, vector);

        Write(BehaviorAb, """
            [
              {"question": "is the sky blue?\n\nChoices:\n (A) yes\n (B) no", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"},
              {"question": "do you agree?\n\nChoices:\n (A) no\n (B) yes", "answer_matching_behavior": "(B)", "answer_not_matching_behavior": "(A)"},
              {"question": "is it wet?\n\nChoices:\n (A) yes\n (B) no", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"}
            ]
            """);
        Write(OpenEnded, """[{"question": "is the sky blue?"}, {"question": "do you agree?"}]""");
        Write(Malformed, """[{"question": "no choices here", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"}]""");
    }

    public string ModelDirectory => Path.Combine(_root, "model");
    public string Vector => Path.Combine(_root, "caa-L1.safetensors");
    public string BehaviorAb => Path.Combine(_root, "test", "sycophancy", "test_dataset_ab.json");
    public string OpenEnded => Path.Combine(_root, "test", "sycophancy", "test_dataset_open_ended.json");
    public string Malformed => Path.Combine(_root, "malformed", "test_dataset_ab.json");

    public string File(string name) => Path.Combine(_root, name);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a file still open on a failed test must not hide the test's own failure */ }
    }

    /// <summary>Gemma's special pieces, the 256 byte pieces, then a few characters; other text falls back to bytes.</summary>
    private static SentencePieceModel Tokenizer() => new()
    {
        Pieces =
        [
            new("<pad>", 0, SentencePieceType.Control), new("<eos>", 0, SentencePieceType.Control),
            new("<bos>", 0, SentencePieceType.Control), new("<unk>", 0, SentencePieceType.Unknown),
            new("<start_of_turn>", 0, SentencePieceType.UserDefined), new("<end_of_turn>", 0, SentencePieceType.UserDefined),
            .. Enumerable.Range(0, 256).Select(b => new SentencePiece(SentencePiece.ByteName(b), 0, SentencePieceType.Byte)),
            .. "▁abcdeghiklnorstuwyAB()?".Select((c, i) => new SentencePiece(c.ToString(), -1 - i)),
        ],
        UnknownId = 3, BosId = 2, EosId = 1, PadId = 0,
    };

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
    }
}
