using System.Security.Cryptography;
using System.Text;
using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>
/// Contrastive activations on disk, one safetensors file per (model, dataset content, layer, template), so that
/// rebuilding vectors with other settings (τ, SAE, method) needs no model pass.
/// </summary>
public sealed class ActivationCache(string directory)
{
    /// <summary>Bump when the way activations are taken changes, so old files are not reused.</summary>
    private const string MethodVersion = "answer-letter-token/1";

    public string Directory { get; } = directory;

    public string PathFor(string modelFingerprint, string datasetHash, int layer, string template)
    {
        var key = $"{MethodVersion}|{modelFingerprint}|{datasetHash}|{layer}|{template}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32].ToLowerInvariant();
        return System.IO.Path.Combine(Directory, $"activations-L{layer}-{hash}.safetensors");
    }

    public ContrastiveActivations? TryLoad(string modelFingerprint, string datasetHash, int layer, string template)
    {
        var path = PathFor(modelFingerprint, datasetHash, layer, template);
        if (!File.Exists(path)) return null;
        try
        {
            using var file = SafetensorsFile.Open(path);
            return new ContrastiveActivations
            {
                Layer = layer,
                Positive = file.Read("positive", ScalarType.Float32),
                Negative = file.Read("negative", ScalarType.Float32),
            };
        }
        catch (CheckpointException)
        {
            File.Delete(path); // a damaged cache entry is rebuilt, never trusted
            return null;
        }
    }

    public void Save(string modelFingerprint, string datasetHash, string template, ContrastiveActivations activations)
    {
        System.IO.Directory.CreateDirectory(Directory);
        SafetensorsWriter.Write(PathFor(modelFingerprint, datasetHash, activations.Layer, template),
            [new("positive", activations.Positive), new("negative", activations.Negative)],
            new Dictionary<string, string>
            {
                ["model"] = modelFingerprint, ["dataset_hash"] = datasetHash, ["template"] = template,
                ["layer"] = activations.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
    }
}
