using System.Text.RegularExpressions;
using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// Gemma Scope <c>params.npz</c>: <c>W_enc [d_model, d_sae]</c>, <c>W_dec [d_sae, d_model]</c>, <c>b_enc</c>,
/// <c>b_dec</c>, <c>threshold</c>, float32; JumpReLU, no input normalisation, <c>b_dec</c> not subtracted from the input.
/// The release path <c>layer_{L}/width_{W}/average_l0_{N}</c> gives the layer and is checked against the width.
/// </summary>
internal static partial class GemmaScopeLoader
{
    public const string FileName = "params.npz";

    // Gemma Scope names widths by rounded thousands of a power of two.
    private static readonly Dictionary<string, long> Widths = new()
    {
        ["4k"] = 4096, ["16k"] = 16384, ["32k"] = 32768, ["65k"] = 65536, ["131k"] = 131072,
        ["262k"] = 262144, ["524k"] = 524288, ["1m"] = 1048576,
    };

    public static SparseAutoencoder Load(string path, ComputeTarget target, int? expectedInputSize)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        using var npz = NpzArchive.Open(file);
        // SAELens accepts lower-case "w_enc"/"w_dec" keys as well.
        string Key(string name) => !npz.Contains(name) && npz.Contains(name.ToLowerInvariant()) ? name.ToLowerInvariant() : name;

        var encoderShape = npz.Header(Key("W_enc")).Shape;
        if (encoderShape.Length != 2)
            throw new CheckpointException($"{file}: 'W_enc' has shape [{string.Join(", ", encoderShape)}], expected [d_model, d_sae]");
        long dIn = encoderShape[0], dSae = encoderShape[1];
        SaeFileChecks.InputSize(file, dIn, expectedInputSize);
        SaeFileChecks.Shape(file, "W_dec", npz.Header(Key("W_dec")).Shape, dSae, dIn);
        SaeFileChecks.Shape(file, "b_enc", npz.Header("b_enc").Shape, dSae);
        SaeFileChecks.Shape(file, "b_dec", npz.Header("b_dec").Shape, dIn);
        SaeFileChecks.Shape(file, "threshold", npz.Header("threshold").Shape, dSae);

        var location = ParseLocation(Path.GetFullPath(file));
        if (location.Width is { } width && width != dSae)
            throw new CheckpointException($"{file}: the path says width_{location.WidthLabel} ({width} features) but W_enc has {dSae}");

        using var scope = NewDisposeScope();
        Tensor Read(string name) => npz.Read(name, target.DType, target.Device);
        var weights = new SaeWeights(Read(Key("W_enc")), Read("b_enc"), Read(Key("W_dec")), Read("b_dec"), Read("threshold"));
        return new SparseAutoencoder(weights, new SaeArchitecture(SaeActivation.JumpRelu),
            new SaeOrigin("gemma-scope", file, location.HookName, location.Layer));
    }

    private sealed record Location(int? Layer, string? WidthLabel, long? Width, string? HookName);

    private static Location ParseLocation(string path)
    {
        var match = ReleasePath().Match(path);
        if (!match.Success) return new Location(null, null, null, null);
        int layer = int.Parse(match.Groups["layer"].Value);
        var label = match.Groups["width"].Value.ToLowerInvariant();
        // The repository name (gemma-scope-2b-pt-res, ...-mlp, ...-att) says which activation the SAE reads.
        var hook = ReleaseKind().Match(path) is { Success: true } kind
            ? kind.Groups["kind"].Value switch
            {
                "res" => $"blocks.{layer}.hook_resid_post",
                "mlp" => $"blocks.{layer}.hook_mlp_out",
                _ => $"blocks.{layer}.attn.hook_z",
            }
            : null;
        return new Location(layer, label, Widths.TryGetValue(label, out var width) ? width : null, hook);
    }

    [GeneratedRegex(@"layer_(?<layer>\d+)[\\/]width_(?<width>\d+[kKmM])[\\/]average_l0_\d+")]
    private static partial Regex ReleasePath();

    [GeneratedRegex(@"gemma-scope-[\w.-]+?-(?<kind>res|mlp|att)\b")]
    private static partial Regex ReleaseKind();
}
