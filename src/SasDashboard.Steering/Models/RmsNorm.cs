using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Root-mean-square normalisation, computed in fp32: <c>x · rsqrt(mean(x²) + eps)</c>, then scaled by
/// <c>w</c> (Llama: cast back to the model dtype first) or by <c>1 + w</c> (Gemma: cast back last).
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly double _eps;
    private readonly bool _unitOffset;

    public RmsNorm(IWeightSource weights, string prefix, long size, double eps, bool unitOffset) : base(nameof(RmsNorm))
    {
        _eps = eps;
        _unitOffset = unitOffset;
        var kind = unitOffset ? WeightKind.NormOffsetScale : WeightKind.NormScale;
        _weight = Projection.AsParameter(weights.Load($"{prefix}.weight", [size], kind));
        register_parameter("weight", _weight);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normalized = x32 * rsqrt(x32.square().mean([-1], keepdim: true) + _eps);
        var result = _unitOffset
            ? (normalized * (1.0 + _weight.to(ScalarType.Float32))).to(x.dtype)
            : _weight * normalized.to(x.dtype);
        return result.MoveToOuterDisposeScope();
    }
}
