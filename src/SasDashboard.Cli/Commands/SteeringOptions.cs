using System.CommandLine;
using System.Globalization;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Vectors;

namespace SasDashboard.Cli.Commands;

/// <summary>
/// <c>--steer FILE:λ</c> (repeatable), <c>--feature SAE:INDEX:STRENGTH</c> (repeatable), <c>--layer</c> for features,
/// <c>--sae</c> to override a SAS vector's SAE path, <c>--steer-positions all|generated|from:N</c>.
/// </summary>
public sealed class SteeringOptions
{
    public Option<string[]> Steer { get; } = new("--steer")
    {
        Description = "Steering vector file and strength, FILE:λ (repeatable; terms are applied together).",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Feature { get; } = new("--feature")
    {
        Description = "A single SAE feature, SAE:INDEX:STRENGTH (repeatable), at --layer.",
    };

    public Option<int?> Layer { get; } = new("--layer") { Description = "Layer for --feature terms (default: the SAE's own layer)." };

    public Option<string?> Sae { get; } = new("--sae") { Description = "SAE for SAS vectors (default: the path stored in the vector)." };

    public Option<string> Positions { get; } = new("--steer-positions")
    {
        Description = "Which tokens to steer: all, generated, or from:N.",
        DefaultValueFactory = _ => "all",
    };

    public IEnumerable<Option> All => [Steer, Feature, Layer, Sae, Positions];

    public static SteeringPositions ParsePositions(string text) => text switch
    {
        "all" => SteeringPositions.All,
        "generated" => SteeringPositions.GeneratedOnly,
        _ when text.StartsWith("from:", StringComparison.Ordinal) && int.TryParse(text[5..], out int start) && start >= 0 =>
            SteeringPositions.From(start),
        _ => throw new ArgumentException($"--steer-positions '{text}': expected all, generated or from:N"),
    };

    /// <summary>Loads the vectors and SAEs named on the command line; dispose the result after use.</summary>
    public LoadedSteering Load(ParseResult result, ComputeTarget target, int hiddenSize)
    {
        var loaded = new LoadedSteering(ParsePositions(result.GetValue(Positions)!));
        try
        {
            foreach (var spec in result.GetValue(Steer) ?? [])
            {
                var (path, strength) = SplitStrength(spec, "--steer", "FILE:λ");
                var vector = loaded.Own(SteeringVectorFile.Load(path));
                if (vector.Provenance.HiddenSize != hiddenSize)
                    throw new ArgumentException(
                        $"{path}: the vector has size {vector.Provenance.HiddenSize} but the model's hidden size is {hiddenSize}");
                SparseAutoencoder? sae = null;
                if (vector.Method == SteeringMethod.Sas)
                    sae = loaded.Sae(result.GetValue(Sae) ?? vector.Sae!.Path, target, hiddenSize);
                loaded.Terms.Add(SteeringTerms.FromVector(vector, strength, sae));
            }
            foreach (var spec in result.GetValue(Feature) ?? [])
            {
                var (rest, strength) = SplitStrength(spec, "--feature", "SAE:INDEX:STRENGTH");
                int colon = rest.LastIndexOf(':');
                if (colon <= 0 || !long.TryParse(rest[(colon + 1)..], out long index))
                    throw new ArgumentException($"--feature '{spec}': expected SAE:INDEX:STRENGTH");
                var sae = loaded.Sae(rest[..colon], target, hiddenSize);
                int layer = result.GetValue(Layer) ?? sae.Info.Layer
                    ?? throw new ArgumentException($"--feature '{spec}': the SAE does not say its layer; pass --layer");
                loaded.Terms.Add(SteeringTerms.Feature(layer, sae, index, strength));
            }
            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static (string Path, double Strength) SplitStrength(string spec, string option, string form)
    {
        int colon = spec.LastIndexOf(':');
        if (colon <= 0 || !double.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new ArgumentException($"{option} '{spec}': expected {form}");
        return (spec[..colon], value);
    }
}

/// <summary>The steering terms of one command, with the vectors and SAEs they use.</summary>
public sealed class LoadedSteering(SteeringPositions positions) : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<string, SparseAutoencoder> _saes = new();

    public SteeringPositions Positions { get; } = positions;
    public List<SteeringTerm> Terms { get; } = [];

    public T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public SparseAutoencoder Sae(string path, ComputeTarget target, int hiddenSize)
    {
        if (!_saes.TryGetValue(path, out var sae))
            _saes[path] = sae = Own(SaeLoader.Load(path, target with { DType = TorchSharp.torch.ScalarType.Float32 }, hiddenSize));
        return sae;
    }

    public SteeringHook? CreateHook(ComputeTarget target) =>
        Terms.Count == 0 ? null : Own(new SteeringHook(Terms, Positions, target.Device, target.DType));

    public void Dispose()
    {
        foreach (var item in _owned) item.Dispose();
    }
}
