using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>Features <c>[..., d_sae]</c> of some residual vectors, with the per-token input map <c>x' = (x − shift) · scale</c>
/// (<c>[..., 1]</c> each, float32) that <see cref="SparseAutoencoder.Decode(SaeEncoding)"/> inverts.</summary>
public sealed record SaeEncoding(Tensor Features, Tensor Shift, Tensor Scale) : IDisposable
{
    public void Dispose()
    {
        Features.Dispose();
        Shift.Dispose();
        Scale.Dispose();
    }
}
