using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>
/// Rotary position embedding in the Hugging Face "rotate half" layout: each head's first and second halves form the
/// rotated pairs. Frequencies are <c>θ^(−2i/d)</c>, optionally rescaled the Llama 3 way.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _inverseFrequencies; // [headDim / 2], fp32

    public RotaryEmbedding(int headDim, double theta, Llama3RopeScaling? scaling, Device device)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, ScalarType.Int64).to(ScalarType.Float32) / headDim;
        var inverse = 1.0f / pow(tensor((float)theta), exponents);
        if (scaling is not null) inverse = ApplyLlama3Scaling(inverse, scaling);
        _inverseFrequencies = inverse.to(device).MoveToOuterDisposeScope();
    }

    /// <summary>Llama 3: long wavelengths are divided by <c>factor</c>, short ones kept, the band between interpolated.</summary>
    private static Tensor ApplyLlama3Scaling(Tensor inverse, Llama3RopeScaling s)
    {
        double lowFreqWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highFreqWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var wavelength = 2 * Math.PI / inverse;
        var scaled = where(wavelength > lowFreqWavelength, inverse / s.Factor, inverse);
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        var smoothed = (1 - smooth) * scaled / s.Factor + smooth * scaled;
        var isMedium = (wavelength >= highFreqWavelength).logical_and(wavelength <= lowFreqWavelength);
        return where(isMedium, smoothed, scaled);
    }

    /// <summary>cos and sin tables, <c>[batch, tokens, headDim]</c> in <paramref name="dtype"/>, for the given positions.</summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies;
        var doubled = cat([angles, angles], -1);
        return (doubled.cos().to(dtype).MoveToOuterDisposeScope(), doubled.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates <c>[batch, heads, tokens, headDim]</c> by the tables from <see cref="Compute"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return (x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}
