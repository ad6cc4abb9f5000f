using System.Text.Json;
using System.Text.Json.Nodes;
using SasDashboard.Steering.Checkpoints;

namespace SasDashboard.Steering.Models;

/// <summary>Llama 3's frequency-dependent RoPE rescaling (<c>rope_scaling.rope_type = "llama3"</c>).</summary>
public sealed record Llama3RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor,
    int OriginalMaxPositionEmbeddings);

/// <summary>The fields of a Hugging Face <c>config.json</c> that the supported architectures use.</summary>
public sealed record ModelConfig
{
    public const string Gemma2Architecture = "Gemma2ForCausalLM";
    public const string LlamaArchitecture = "LlamaForCausalLM";
    public static readonly IReadOnlyList<string> SupportedArchitectures = [Gemma2Architecture, LlamaArchitecture];

    public required string Architecture { get; init; }
    public required string ModelType { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required double RmsNormEps { get; init; }
    public double RopeTheta { get; init; } = 10000;
    public Llama3RopeScaling? RopeScaling { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 8192;
    public bool TieWordEmbeddings { get; init; }
    public string TorchDType { get; init; } = "float32";
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }

    // Gemma-2 only.
    public double? QueryPreAttnScalar { get; init; }
    public int? SlidingWindow { get; init; }
    public double? AttnLogitSoftcapping { get; init; }
    public double? FinalLogitSoftcapping { get; init; }
    public string HiddenActivation { get; init; } = "silu";

    public bool IsGemma2 => Architecture == Gemma2Architecture;

    public static ModelConfig Load(string modelDirectory)
    {
        var path = System.IO.Path.Combine(modelDirectory, "config.json");
        if (!Directory.Exists(modelDirectory)) throw new CheckpointException($"{modelDirectory}: model directory not found");
        if (!File.Exists(path)) throw new CheckpointException($"{path}: file not found (a Hugging Face model directory needs config.json)");
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    public static ModelConfig Parse(string json, string source = "config.json")
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new CheckpointException($"{source}: not a JSON object");
        string architecture = root["architectures"]?.AsArray().FirstOrDefault()?.GetValue<string>()
            ?? root["model_type"]?.GetValue<string>() switch
            {
                "gemma2" => Gemma2Architecture,
                "llama" => LlamaArchitecture,
                var other => throw new CheckpointException($"{source}: no 'architectures' entry and unknown model_type '{other}'"),
            };
        if (!SupportedArchitectures.Contains(architecture))
            throw new CheckpointException(
                $"{source}: unsupported architecture '{architecture}' (supported: {string.Join(", ", SupportedArchitectures)})");
        bool gemma = architecture == Gemma2Architecture;

        int Required(string key) => root[key]?.GetValue<int>()
            ?? throw new CheckpointException($"{source}: missing required field '{key}'");
        double? OptionalDouble(string key) => root[key] is JsonValue v ? v.GetValue<double>() : null;
        int? OptionalInt(string key) => root[key] is JsonValue v ? v.GetValue<int>() : null;

        int hidden = Required("hidden_size");
        int heads = Required("num_attention_heads");
        return new ModelConfig
        {
            Architecture = architecture,
            ModelType = root["model_type"]?.GetValue<string>() ?? (gemma ? "gemma2" : "llama"),
            HiddenSize = hidden,
            IntermediateSize = Required("intermediate_size"),
            NumLayers = Required("num_hidden_layers"),
            NumHeads = heads,
            NumKeyValueHeads = OptionalInt("num_key_value_heads") ?? heads,
            HeadDim = OptionalInt("head_dim") ?? hidden / heads,
            VocabSize = Required("vocab_size"),
            RmsNormEps = OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = OptionalDouble("rope_theta") ?? 10000,
            RopeScaling = ParseRopeScaling(root["rope_scaling"], source),
            MaxPositionEmbeddings = OptionalInt("max_position_embeddings") ?? 8192,
            TieWordEmbeddings = root["tie_word_embeddings"]?.GetValue<bool>() ?? gemma,
            TorchDType = root["torch_dtype"]?.GetValue<string>() ?? root["dtype"]?.GetValue<string>() ?? "float32",
            BosTokenId = OptionalInt("bos_token_id"),
            EosTokenIds = root["eos_token_id"] switch
            {
                JsonArray list => list.Select(n => n!.GetValue<int>()).ToArray(),
                JsonValue one => [one.GetValue<int>()],
                _ => [],
            },
            PadTokenId = OptionalInt("pad_token_id"),
            QueryPreAttnScalar = OptionalDouble("query_pre_attn_scalar"),
            SlidingWindow = OptionalInt("sliding_window"),
            AttnLogitSoftcapping = OptionalDouble("attn_logit_softcapping"),
            FinalLogitSoftcapping = OptionalDouble("final_logit_softcapping"),
            HiddenActivation = root["hidden_activation"]?.GetValue<string>()
                ?? root["hidden_act"]?.GetValue<string>() ?? (gemma ? "gelu_pytorch_tanh" : "silu"),
        };
    }

    private static Llama3RopeScaling? ParseRopeScaling(JsonNode? node, string source)
    {
        if (node is not JsonObject scaling) return null;
        string type = scaling["rope_type"]?.GetValue<string>() ?? scaling["type"]?.GetValue<string>() ?? "default";
        return type switch
        {
            "default" => null,
            "llama3" => new Llama3RopeScaling(
                scaling["factor"]?.GetValue<double>() ?? 8,
                scaling["low_freq_factor"]?.GetValue<double>() ?? 1,
                scaling["high_freq_factor"]?.GetValue<double>() ?? 4,
                scaling["original_max_position_embeddings"]?.GetValue<int>() ?? 8192),
            _ => throw new CheckpointException($"{source}: unsupported rope_scaling type '{type}' (supported: llama3)"),
        };
    }

    /// <summary>The config.json that Hugging Face writes for this configuration.</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray(Architecture),
            ["model_type"] = ModelType,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumLayers,
            ["num_attention_heads"] = NumHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["vocab_size"] = VocabSize,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["torch_dtype"] = TorchDType,
            ["hidden_activation"] = HiddenActivation,
        };
        if (BosTokenId is { } bos) root["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) root["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) root["eos_token_id"] = new JsonArray(EosTokenIds.Select(id => (JsonNode)id).ToArray());
        if (PadTokenId is { } pad) root["pad_token_id"] = pad;
        if (RopeScaling is { } s)
            root["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3", ["factor"] = s.Factor, ["low_freq_factor"] = s.LowFreqFactor,
                ["high_freq_factor"] = s.HighFreqFactor, ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
            };
        if (QueryPreAttnScalar is { } q) root["query_pre_attn_scalar"] = q;
        if (SlidingWindow is { } w) root["sliding_window"] = w;
        if (AttnLogitSoftcapping is { } a) root["attn_logit_softcapping"] = a;
        if (FinalLogitSoftcapping is { } f) root["final_logit_softcapping"] = f;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public long ParameterCount()
    {
        long h = HiddenSize, i = IntermediateSize;
        long attention = h * NumHeads * HeadDim * 2 + h * NumKeyValueHeads * HeadDim * 2;
        long mlp = 3 * h * i;
        long norms = (IsGemma2 ? 4 : 2) * h;
        long embeddings = (long)VocabSize * h * (TieWordEmbeddings ? 1 : 2);
        return NumLayers * (attention + mlp + norms) + embeddings + h;
    }
}
