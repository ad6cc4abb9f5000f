using System.Text.Json;
using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Saes;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Saes;

/// <summary>Small seeded SAEs and inputs, and writers for the SAELens and Llama Scope folder layouts.</summary>
internal static class SaeFixtures
{
    public static readonly SaeOrigin TestOrigin = new("test", "memory");

    /// <summary>Gemma Scope / SAELens oriented tensors: W_enc [dIn, dSae], b_enc, W_dec [dSae, dIn], b_dec, threshold.</summary>
    public static Dictionary<string, Tensor> RandomTensors(ulong seed, int dIn, int dSae)
    {
        var generator = new Generator(seed);
        return new Dictionary<string, Tensor>
        {
            ["W_enc"] = randn([dIn, dSae], generator: generator).div_(Math.Sqrt(dIn)),
            ["b_enc"] = randn([dSae], generator: generator).mul_(0.2),
            ["W_dec"] = randn([dSae, dIn], generator: generator).div_(Math.Sqrt(dSae)),
            ["b_dec"] = randn([dIn], generator: generator).mul_(0.5),
            ["threshold"] = rand([dSae], generator: generator).mul_(0.4),
        };
    }

    public static SaeWeights WeightsOf(Dictionary<string, Tensor> tensors, bool withThreshold) =>
        new(tensors["W_enc"].clone(), tensors["b_enc"].clone(), tensors["W_dec"].clone(), tensors["b_dec"].clone(),
            withThreshold ? tensors["threshold"].clone() : null);

    /// <summary>Residual-like inputs: not centred, with varying norms, so that every normalisation does something.</summary>
    public static Tensor RandomInputs(ulong seed, params long[] shape)
    {
        var generator = new Generator(seed);
        return randn(shape, generator: generator).mul_(2).add_(0.5);
    }

    public static void WriteJson(string path, object content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(content));
    }

    public static void WriteSaeLens(string directory, object config, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        WriteJson(Path.Combine(directory, "cfg.json"), config);
        SafetensorsWriter.Write(Path.Combine(directory, "sae_weights.safetensors"), tensors);
    }

    public static void WriteLlamaScope(string directory, object hyperparams, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        WriteJson(Path.Combine(directory, "hyperparams.json"), hyperparams);
        SafetensorsWriter.Write(Path.Combine(directory, "checkpoints", "final.safetensors"), tensors);
    }

    public static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }
}
