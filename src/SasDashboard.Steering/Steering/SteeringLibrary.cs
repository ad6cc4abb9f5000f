using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Vectors;

namespace SasDashboard.Steering.Steering;

/// <summary>
/// Turns <see cref="SteeringSetup"/>s into steering terms and hooks for one model, loading each vector file and SAE once
/// (a sweep's setups share them) and keeping them until disposed. SAEs compute in float32 on the model's device.
/// </summary>
public sealed class SteeringLibrary(ComputeTarget target, ModelConfig model) : IDisposable
{
    private readonly Dictionary<string, SteeringVector> _vectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SparseAutoencoder> _saes = new(StringComparer.Ordinal);

    /// <summary>The setup's terms, each with strength weight × <paramref name="lambda"/>.</summary>
    public IReadOnlyList<SteeringTerm> Terms(SteeringSetup setup, double lambda = 1) =>
        setup.Terms.Select(spec => Resolve(spec).Term).Select(term => term with { Strength = term.Strength * lambda }).ToList();

    /// <summary>A hook applying the setup at strength weight × <paramref name="lambda"/>; null for the unsteered setup. The caller disposes it.</summary>
    public SteeringHook? CreateHook(SteeringSetup setup, double lambda = 1) =>
        setup.IsNone ? null : new SteeringHook(Terms(setup, lambda), setup.Positions, target.Device, target.DType);

    /// <summary>The setup's terms as read from their files; also checks that every file loads and fits the model.</summary>
    public IReadOnlyList<AppliedTerm> Describe(SteeringSetup setup) => setup.Terms.Select(spec => Resolve(spec).Applied).ToList();

    public void Dispose()
    {
        foreach (var vector in _vectors.Values) vector.Dispose();
        foreach (var sae in _saes.Values) sae.Dispose();
        _vectors.Clear();
        _saes.Clear();
    }

    private (SteeringTerm Term, AppliedTerm Applied) Resolve(SteeringTermSpec spec)
    {
        switch (spec)
        {
            case VectorTermSpec v:
            {
                var vector = Vector(v.Path);
                string? saePath = vector.Method == SteeringMethod.Sas ? v.SaePath ?? vector.Sae!.Path : null;
                double weight = v.Weight * NormScale(vector, v);
                var term = SteeringTerms.FromVector(vector, weight, saePath is null ? null : Sae(saePath));
                if (v.Layer is { } layer) term = term with { Layer = layer };
                CheckLayer(term.Layer, v.Path);
                return (term, new AppliedTerm(vector.Method.ToString().ToLowerInvariant(), term.Layer, weight, v.Path,
                    saePath, Tau: vector.Sas?.Tau, Behavior: vector.Provenance.Behavior));
            }
            case FeatureTermSpec f:
            {
                var sae = Sae(f.SaePath);
                int layer = f.Layer ?? sae.Info.Layer
                    ?? throw new ArgumentException($"{f.SaePath}: the SAE does not say its layer; give the feature's layer");
                CheckLayer(layer, f.SaePath);
                return (SteeringTerms.Feature(layer, sae, f.Feature, f.Weight),
                    new AppliedTerm("feature", layer, f.Weight, f.SaePath, f.SaePath, f.Feature));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec, "unknown steering term");
        }
    }

    /// <summary>The factor that gives the vector's residual-space direction the norm asked for (1 when none is).</summary>
    private static double NormScale(SteeringVector vector, VectorTermSpec spec)
    {
        if (spec.NormTo is not { } target) return 1;
        if (!(target > 0) || !double.IsFinite(target))
            throw new ArgumentException($"{spec.Path}: the norm to match must be a positive number, not {target}");
        double norm = vector.Norm;
        if (norm == 0) throw new ArgumentException($"{spec.Path}: the vector is zero (L0 {vector.L0}); it has no direction to rescale");
        return target / norm;
    }

    private SteeringVector Vector(string path)
    {
        if (_vectors.TryGetValue(path, out var vector)) return vector;
        vector = SteeringVectorFile.Load(path);
        if (vector.Provenance.HiddenSize != model.HiddenSize)
        {
            vector.Dispose();
            throw new ArgumentException(
                $"{path}: the vector has size {vector.Provenance.HiddenSize} but the model's hidden size is {model.HiddenSize}");
        }
        return _vectors[path] = vector;
    }

    private SparseAutoencoder Sae(string path)
    {
        if (!_saes.TryGetValue(path, out var sae))
            _saes[path] = sae = SaeLoader.Load(path, target with { DType = TorchSharp.torch.ScalarType.Float32 }, model.HiddenSize);
        return sae;
    }

    private void CheckLayer(int layer, string source)
    {
        if (layer < 0 || layer >= model.NumLayers)
            throw new ArgumentException($"{source}: layer {layer} is outside the model's {model.NumLayers} layers (0–{model.NumLayers - 1})");
    }
}
