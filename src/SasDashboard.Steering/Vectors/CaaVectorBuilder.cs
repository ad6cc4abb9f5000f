using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>Contrastive Activation Addition: <c>v = mean_i(a⁺_i − a⁻_i)</c> at one layer.</summary>
public static class CaaVectorBuilder
{
    public static SteeringVector Build(ContrastiveActivations activations, VectorProvenance provenance)
    {
        if (activations.Pairs == 0) throw new ArgumentException("no contrastive pairs to build a vector from");
        using var scope = NewDisposeScope();
        var mean = (activations.Positive - activations.Negative).mean([0]).to(ScalarType.Float32);
        return new SteeringVector
        {
            Method = SteeringMethod.Caa,
            Provenance = provenance,
            Dense = mean.MoveToOuterDisposeScope(),
        };
    }
}
