using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;

namespace SasDashboard.Steering.Saes;

/// <summary>Loads an SAE from disk, recognising the format by its files.</summary>
public static class SaeLoader
{
    /// <summary>
    /// Loads a Gemma Scope <c>params.npz</c> (the file or its folder), a SAELens folder (<c>cfg.json</c> +
    /// <c>sae_weights.safetensors</c>) or a Llama Scope folder (<c>hyperparams.json</c> + <c>checkpoints/final.safetensors</c>)
    /// in <paramref name="target"/>'s dtype and device. With <paramref name="expectedInputSize"/> (the model's hidden
    /// size) a mismatching SAE is rejected before its weights are read.
    /// </summary>
    public static SparseAutoencoder Load(string path, ComputeTarget target, int? expectedInputSize = null)
    {
        if (File.Exists(path))
            return path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)
                ? GemmaScopeLoader.Load(path, target, expectedInputSize)
                : throw NotAnSae(path);
        if (!Directory.Exists(path)) throw new CheckpointException($"{path}: no such file or folder");
        if (File.Exists(Path.Combine(path, GemmaScopeLoader.FileName))) return GemmaScopeLoader.Load(path, target, expectedInputSize);
        if (File.Exists(Path.Combine(path, SaeLensLoader.ConfigFileName))) return SaeLensLoader.Load(path, target, expectedInputSize);
        if (File.Exists(Path.Combine(path, LlamaScopeLoader.ConfigFileName))) return LlamaScopeLoader.Load(path, target, expectedInputSize);
        throw NotAnSae(path);
    }

    private static CheckpointException NotAnSae(string path) =>
        new($"{path}: not an SAE (expected a Gemma Scope {GemmaScopeLoader.FileName}, a SAELens folder with " +
            $"{SaeLensLoader.ConfigFileName} + {SaeLensLoader.WeightsFileName}, or a Llama Scope folder with " +
            $"{LlamaScopeLoader.ConfigFileName} + {LlamaScopeLoader.WeightsPath})");
}
