namespace SasDashboard.Steering.Saes;

/// <summary>
/// The per-token input normalisation an SAE applies at run time, as an affine map into SAE space
/// <c>x' = (x − shift) · scale</c> whose inverse is applied on decode. Normalisations by a constant factor
/// (SAELens <c>expected_average_only_in</c>, Llama Scope <c>dataset-wise</c>) are folded into the weights at load time
/// and need none of this.
/// </summary>
public enum SaeNormalization
{
    /// <summary><c>shift = 0</c>, <c>scale = 1</c>.</summary>
    None,

    /// <summary>SAELens <c>constant_norm_rescale</c>: <c>shift = 0</c>, <c>scale = sqrt(d_in) / ‖x‖</c>.</summary>
    ConstantNormRescale,

    /// <summary>SAELens <c>layer_norm</c>: <c>shift = mean(x)</c>, <c>scale = 1 / (std(x) + 1e-5)</c> (unbiased std).</summary>
    LayerNorm,
}

public static class SaeNormalizationNames
{
    /// <summary>The SAELens <c>normalize_activations</c> name.</summary>
    public static string ConfigName(this SaeNormalization normalization) => normalization switch
    {
        SaeNormalization.None => "none",
        SaeNormalization.ConstantNormRescale => "constant_norm_rescale",
        SaeNormalization.LayerNorm => "layer_norm",
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, null),
    };
}
