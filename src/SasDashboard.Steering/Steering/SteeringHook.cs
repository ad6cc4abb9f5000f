using SasDashboard.Steering.Models;
using SasDashboard.Steering.Saes;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Steering;

/// <summary>
/// Applies a composition of steering terms (vectors with their λ, single SAE features) at one or several layers in
/// every forward pass: per layer, the dense terms are summed into one vector and the sparse terms of each SAE are
/// combined in feature space into one <see cref="SparseFeatureEdit"/>, so all terms act on the same unsteered codes.
/// </summary>
public sealed class SteeringHook : IResidualStreamHook, IDisposable
{
    private readonly Dictionary<int, LayerEdit> _edits;
    private readonly SteeringPositions _positions;

    public IReadOnlyCollection<int> Layers { get; }

    /// <summary>Per-row factor on every term's λ, <c>[batch]</c>; null means 1. Sweeps put several λ in one batch this way.</summary>
    public Tensor? RowMultipliers { get; set; }

    public SteeringHook(IEnumerable<SteeringTerm> terms, SteeringPositions positions, Device device, ScalarType dtype)
    {
        _positions = positions;
        _edits = terms.GroupBy(t => t.Layer).ToDictionary(g => g.Key, g => new LayerEdit(g.ToList(), device, dtype));
        Layers = _edits.Keys.Order().ToArray();
    }

    public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
    {
        using var scope = NewDisposeScope();
        var edit = _edits[layer];
        Tensor? delta = null;
        if (edit.Dense is not null)
            delta = RowMultipliers is null ? edit.Dense : RowMultipliers.to(residual.dtype).view(-1, 1, 1) * edit.Dense;
        foreach (var sparse in edit.Sparse)
        {
            var change = sparse.Delta(residual, RowMultipliers);
            delta = delta is null ? change : delta + change;
        }
        if (delta is null) return residual;
        var mask = _positions.Mask(context, residual.dtype);
        if (mask is not null) delta = delta * mask;
        return (residual + delta).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var edit in _edits.Values) edit.Dispose();
    }

    private sealed class LayerEdit : IDisposable
    {
        public Tensor? Dense { get; }
        public IReadOnlyList<SparseFeatureEdit> Sparse { get; }

        public LayerEdit(IReadOnlyList<SteeringTerm> terms, Device device, ScalarType dtype)
        {
            var dense = terms.OfType<DenseTerm>().ToList();
            if (dense.Count > 0)
            {
                using var scope = NewDisposeScope();
                var sum = dense.Select(t => t.Vector.to(ScalarType.Float32, device) * t.Strength).Aggregate((a, b) => a + b);
                Dense = sum.to(dtype).MoveToOuterDisposeScope();
            }
            Sparse = terms.OfType<SparseTerm>()
                .GroupBy(t => t.Sae)
                .Select(group => new SparseFeatureEdit(group.Key, Combine(group)))
                .ToList();
        }

        private static Dictionary<long, double> Combine(IEnumerable<SparseTerm> terms)
        {
            var combined = new Dictionary<long, double>();
            foreach (var term in terms)
                for (int i = 0; i < term.Indices.Length; i++)
                    combined[term.Indices[i]] = combined.GetValueOrDefault(term.Indices[i]) + term.Strength * term.Values[i];
            return combined;
        }

        public void Dispose()
        {
            Dense?.Dispose();
            foreach (var s in Sparse) s.Dispose();
        }
    }
}
