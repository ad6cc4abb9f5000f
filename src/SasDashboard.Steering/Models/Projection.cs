using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasDashboard.Steering.Models;

/// <summary>A bias-free linear map with weight <c>[out, in]</c>, stored under <c>{prefix}.weight</c> as nn.Linear does.</summary>
public sealed class Projection : nn.Module<Tensor, Tensor>
{
    public Parameter Weight { get; }

    public Projection(IWeightSource weights, string prefix, long outFeatures, long inFeatures) : base(nameof(Projection))
    {
        Weight = AsParameter(weights.Load($"{prefix}.weight", [outFeatures, inFeatures], WeightKind.Linear));
        register_parameter("weight", Weight);
    }

    public override Tensor forward(Tensor x) => F.linear(x, Weight);

    /// <summary>Wraps a loaded tensor without copying; it is trainable exactly when the weight source made it so.</summary>
    internal static Parameter AsParameter(Tensor loaded) => new(loaded, requires_grad: loaded.requires_grad);
}
