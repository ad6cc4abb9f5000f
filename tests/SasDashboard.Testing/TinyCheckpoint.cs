using System.Text.Json;
using System.Text.Json.Nodes;

namespace SasDashboard.Testing;

/// <summary>The hyper-parameters of a tiny test model, in config.json terms.</summary>
public sealed record TinySpec(string Architecture, int Hidden, int Intermediate, int Layers, int Heads, int KvHeads,
    int HeadDim, int Vocab, bool Tied, double RopeTheta = 10000, double Eps = 1e-6, double? QueryPreAttnScalar = null,
    int? SlidingWindow = null, double? AttnSoftcap = null, double? FinalSoftcap = null,
    (double Factor, double Low, double High, int Original)? Llama3Scaling = null)
{
    public bool IsGemma => Architecture == "Gemma2ForCausalLM";

    /// <summary>Small Gemma-2: explicit head_dim ≠ hidden/heads, a query scalar ≠ head_dim, a window shorter than
    /// the test sequences, and soft caps low enough that tanh bends.</summary>
    public static TinySpec Gemma2 { get; } = new("Gemma2ForCausalLM", Hidden: 32, Intermediate: 64, Layers: 3, Heads: 4,
        KvHeads: 2, HeadDim: 16, Vocab: 61, Tied: true, QueryPreAttnScalar: 24, SlidingWindow: 3, AttnSoftcap: 5,
        FinalSoftcap: 3);

    /// <summary>Small Llama 3: grouped-query attention, Llama 3 RoPE scaling whose bands all apply, untied head.</summary>
    public static TinySpec Llama3 { get; } = new("LlamaForCausalLM", Hidden: 32, Intermediate: 48, Layers: 2, Heads: 4,
        KvHeads: 2, HeadDim: 8, Vocab: 57, Tied: false, RopeTheta: 500000, Eps: 1e-5, Llama3Scaling: (8, 1, 4, 16));
}

/// <summary>
/// A tiny model written as a real Hugging Face directory (config.json + safetensors, optionally sharded), with the
/// exact weights a reader gets back, for the plain reference implementation.
/// </summary>
public sealed class TinyCheckpoint
{
    public TinySpec Spec { get; }
    public string Directory { get; }
    public IReadOnlyDictionary<string, (long[] Shape, float[] Values)> Weights { get; }

    private TinyCheckpoint(TinySpec spec, string directory, Dictionary<string, (long[], float[])> weights)
    {
        Spec = spec;
        Directory = directory;
        Weights = weights;
    }

    public static TinyCheckpoint Write(TinySpec spec, string directory, int seed = 1, string dtype = "F32", int shards = 1,
        int? eosTokenId = 1)
    {
        System.IO.Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var weights = new Dictionary<string, (long[], float[])>();
        void Add(string name, long[] shape, double mean, double std)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            for (long i = 0; i < count; i++) values[i] = SafetensorsFixture.RoundTrip((float)(mean + std * Gaussian(random)), dtype);
            weights[name] = (shape, values);
        }

        int h = spec.Hidden, qWidth = spec.Heads * spec.HeadDim, kvWidth = spec.KvHeads * spec.HeadDim;
        double normMean = spec.IsGemma ? 0 : 1;
        Add("model.embed_tokens.weight", [spec.Vocab, h], 0, 0.5);
        for (int l = 0; l < spec.Layers; l++)
        {
            string p = $"model.layers.{l}";
            Add($"{p}.self_attn.q_proj.weight", [qWidth, h], 0, 0.3);
            Add($"{p}.self_attn.k_proj.weight", [kvWidth, h], 0, 0.3);
            Add($"{p}.self_attn.v_proj.weight", [kvWidth, h], 0, 0.3);
            Add($"{p}.self_attn.o_proj.weight", [h, qWidth], 0, 0.3);
            Add($"{p}.mlp.gate_proj.weight", [spec.Intermediate, h], 0, 0.3);
            Add($"{p}.mlp.up_proj.weight", [spec.Intermediate, h], 0, 0.3);
            Add($"{p}.mlp.down_proj.weight", [h, spec.Intermediate], 0, 0.3);
            Add($"{p}.input_layernorm.weight", [h], normMean, 0.2);
            Add($"{p}.post_attention_layernorm.weight", [h], normMean, 0.2);
            if (spec.IsGemma)
            {
                Add($"{p}.pre_feedforward_layernorm.weight", [h], normMean, 0.2);
                Add($"{p}.post_feedforward_layernorm.weight", [h], normMean, 0.2);
            }
        }
        Add("model.norm.weight", [h], normMean, 0.2);
        if (!spec.Tied) Add("lm_head.weight", [spec.Vocab, h], 0, 0.3);

        WriteWeights(directory, weights, dtype, shards);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson(spec, dtype, eosTokenId));
        return new TinyCheckpoint(spec, directory, weights);
    }

    /// <summary>A checkpoint with a trained SentencePiece tokenizer; the vocabulary is the tokenizer's.</summary>
    public static TinyCheckpoint WriteWithTokenizer(TinySpec spec, string directory, int seed = 1)
    {
        System.IO.Directory.CreateDirectory(directory);
        int vocabulary = TinyTokenizer.Write(directory);
        return Write(spec with { Vocab = vocabulary }, directory, seed);
    }

    private static void WriteWeights(string directory, Dictionary<string, (long[] Shape, float[] Values)> weights,
        string dtype, int shards)
    {
        var names = weights.Keys.ToList();
        if (shards == 1)
        {
            SafetensorsFixture.Write(Path.Combine(directory, "model.safetensors"),
                names.Select(n => new SafetensorsFixture.Entry(n, weights[n].Shape, weights[n].Values)), dtype);
            return;
        }
        var map = new JsonObject();
        for (int s = 0; s < shards; s++)
        {
            string file = $"model-{s + 1:00000}-of-{shards:00000}.safetensors";
            var mine = names.Where((_, i) => i % shards == s).ToList();
            SafetensorsFixture.Write(Path.Combine(directory, file),
                mine.Select(n => new SafetensorsFixture.Entry(n, weights[n].Shape, weights[n].Values)), dtype);
            foreach (var n in mine) map[n] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = map };
        File.WriteAllText(Path.Combine(directory, "model.safetensors.index.json"), index.ToJsonString());
    }

    private static string ConfigJson(TinySpec spec, string dtype, int? eos)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(spec.Architecture),
            ["model_type"] = spec.IsGemma ? "gemma2" : "llama",
            ["hidden_size"] = spec.Hidden,
            ["intermediate_size"] = spec.Intermediate,
            ["num_hidden_layers"] = spec.Layers,
            ["num_attention_heads"] = spec.Heads,
            ["num_key_value_heads"] = spec.KvHeads,
            ["head_dim"] = spec.HeadDim,
            ["vocab_size"] = spec.Vocab,
            ["rms_norm_eps"] = spec.Eps,
            ["rope_theta"] = spec.RopeTheta,
            ["max_position_embeddings"] = 128,
            ["tie_word_embeddings"] = spec.Tied,
            ["torch_dtype"] = dtype switch { "BF16" => "bfloat16", "F16" => "float16", _ => "float32" },
            ["bos_token_id"] = 2,
            ["eos_token_id"] = eos,
            ["pad_token_id"] = 0,
        };
        if (spec.IsGemma)
        {
            config["hidden_activation"] = "gelu_pytorch_tanh";
            config["query_pre_attn_scalar"] = spec.QueryPreAttnScalar;
            config["sliding_window"] = spec.SlidingWindow;
            config["attn_logit_softcapping"] = spec.AttnSoftcap;
            config["final_logit_softcapping"] = spec.FinalSoftcap;
        }
        else
        {
            config["hidden_act"] = "silu";
        }
        if (spec.Llama3Scaling is { } s)
            config["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3", ["factor"] = s.Factor, ["low_freq_factor"] = s.Low,
                ["high_freq_factor"] = s.High, ["original_max_position_embeddings"] = s.Original,
            };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
