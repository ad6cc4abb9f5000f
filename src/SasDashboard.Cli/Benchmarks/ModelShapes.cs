using SasDashboard.Steering.Models;

namespace SasDashboard.Cli.Benchmarks;

/// <summary>Published model shapes, for benchmarks with random weights of the real size.</summary>
public static class ModelShapes
{
    public static ModelConfig Gemma2_2B { get; } = new()
    {
        Architecture = ModelConfig.Gemma2Architecture, ModelType = "gemma2", HiddenSize = 2304, IntermediateSize = 9216,
        NumLayers = 26, NumHeads = 8, NumKeyValueHeads = 4, HeadDim = 256, VocabSize = 256000, RmsNormEps = 1e-6,
        RopeTheta = 10000, TieWordEmbeddings = true, QueryPreAttnScalar = 256, SlidingWindow = 4096,
        AttnLogitSoftcapping = 50, FinalLogitSoftcapping = 30, HiddenActivation = "gelu_pytorch_tanh",
        BosTokenId = 2, EosTokenIds = [1], PadTokenId = 0,
    };

    /// <summary>Gemma-2-2B's layer shape with 2 layers and a small vocabulary: seconds instead of minutes, for smoke runs.</summary>
    public static ModelConfig Gemma2_2BTwoLayers { get; } = Gemma2_2B with { NumLayers = 2, VocabSize = 4096 };

    public static ModelConfig Llama31_8B { get; } = new()
    {
        Architecture = ModelConfig.LlamaArchitecture, ModelType = "llama", HiddenSize = 4096, IntermediateSize = 14336,
        NumLayers = 32, NumHeads = 32, NumKeyValueHeads = 8, HeadDim = 128, VocabSize = 128256, RmsNormEps = 1e-5,
        RopeTheta = 500000, RopeScaling = new Llama3RopeScaling(8, 1, 4, 8192), TieWordEmbeddings = false,
        HiddenActivation = "silu", BosTokenId = 128000, EosTokenIds = [128001], MaxPositionEmbeddings = 131072,
    };

    public static IReadOnlyDictionary<string, ModelConfig> ByName { get; } = new Dictionary<string, ModelConfig>
    {
        ["gemma2-2b"] = Gemma2_2B,
        ["gemma2-2b-2layers"] = Gemma2_2BTwoLayers,
        ["llama3.1-8b"] = Llama31_8B,
    };

    public static ModelConfig Get(string name) => ByName.TryGetValue(name, out var shape)
        ? shape
        : throw new ArgumentException($"unknown shape '{name}' (known: {string.Join(", ", ByName.Keys)})");
}
