using System.Globalization;
using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>
/// Saves and loads steering vectors as safetensors: <c>dense</c> [d_model] (and for SAS <c>feature_indices</c>,
/// <c>feature_values</c>), with the provenance and recipe as string metadata.
/// </summary>
public static class SteeringVectorFile
{
    public const string FormatTag = "sas-dashboard/steering-vector/1";

    public static void Save(string path, SteeringVector vector)
    {
        var p = vector.Provenance;
        var metadata = new Dictionary<string, string>
        {
            ["format"] = FormatTag,
            ["method"] = vector.Method.ToString().ToLowerInvariant(),
            ["model"] = p.Model,
            ["layer"] = Invariant(p.Layer),
            ["hidden_size"] = Invariant(p.HiddenSize),
            ["dataset_hash"] = p.DatasetHash,
            ["pairs"] = Invariant(p.Pairs),
            ["template"] = p.Template,
            ["l0"] = Invariant(vector.L0),
            ["norm"] = Invariant(vector.Norm),
        };
        if (p.Behavior is not null) metadata["behavior"] = p.Behavior;
        if (p.Dataset is not null) metadata["dataset"] = p.Dataset;
        var tensors = new List<KeyValuePair<string, Tensor>> { new("dense", vector.Dense) };
        if (vector.Method == SteeringMethod.Sas)
        {
            metadata["sae"] = vector.Sae!.Path;
            metadata["sae_width"] = Invariant(vector.Sae.FeatureCount);
            metadata["tau"] = Invariant(vector.Sas!.Tau);
            metadata["filter_by_frequency"] = Invariant(vector.Sas.FilterByFrequency);
            metadata["drop_shared_features"] = Invariant(vector.Sas.DropSharedFeatures);
            metadata["positive_side_only"] = Invariant(vector.Sas.PositiveSideOnly);
            tensors.Add(new("feature_indices", vector.FeatureIndices!));
            tensors.Add(new("feature_values", vector.FeatureValues!));
        }
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    public static SteeringVector Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var m = file.Metadata;
        if (!m.TryGetValue("format", out var format) || format != FormatTag)
            throw new CheckpointException($"{path}: not a SasDashboard steering vector (metadata 'format' is not '{FormatTag}')");
        string Required(string key) => m.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointException($"{path}: steering vector metadata lacks '{key}'");
        int Int(string key) => int.Parse(Required(key), CultureInfo.InvariantCulture);

        var method = Required("method") switch
        {
            "caa" => SteeringMethod.Caa,
            "sas" => SteeringMethod.Sas,
            var other => throw new CheckpointException($"{path}: unknown steering method '{other}'"),
        };
        var provenance = new VectorProvenance(Required("model"), Int("layer"), Int("hidden_size"), Required("dataset_hash"),
            Int("pairs"), Required("template"), m.GetValueOrDefault("behavior"), m.GetValueOrDefault("dataset"));
        var dense = ReadRequired(file, "dense", ScalarType.Float32);
        if (dense.dim() != 1 || dense.shape[0] != provenance.HiddenSize)
            throw new CheckpointException(
                $"{path}: tensor 'dense' has shape [{string.Join(", ", dense.shape)}], expected [{provenance.HiddenSize}]");
        if (method == SteeringMethod.Caa)
            return new SteeringVector { Method = method, Provenance = provenance, Dense = dense };

        var indices = ReadRequired(file, "feature_indices", ScalarType.Int64);
        var values = ReadRequired(file, "feature_values", ScalarType.Float32);
        int width = Int("sae_width");
        if (indices.dim() != 1 || values.dim() != 1 || indices.shape[0] != values.shape[0])
            throw new CheckpointException($"{path}: feature_indices and feature_values must be vectors of equal length");
        if (indices.shape[0] > 0 && (indices.min().item<long>() < 0 || indices.max().item<long>() >= width))
            throw new CheckpointException($"{path}: feature indices fall outside the SAE's {width} features");
        return new SteeringVector
        {
            Method = method, Provenance = provenance, Dense = dense,
            Sae = new VectorSae(Required("sae"), width),
            Sas = new SasOptions(double.Parse(Required("tau"), CultureInfo.InvariantCulture), bool.Parse(Required("filter_by_frequency")),
                bool.Parse(Required("drop_shared_features")), bool.Parse(Required("positive_side_only"))),
            FeatureIndices = indices, FeatureValues = values,
        };
    }

    private static Tensor ReadRequired(SafetensorsFile file, string name, ScalarType dtype) => file.Contains(name)
        ? file.Read(name, dtype)
        : throw new CheckpointException($"{file.Path}: steering vector lacks tensor '{name}'");

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Invariant(bool value) => value ? "true" : "false";
}
