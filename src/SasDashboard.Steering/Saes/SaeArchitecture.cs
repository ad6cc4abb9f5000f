namespace SasDashboard.Steering.Saes;

/// <summary>How an SAE computes, beyond its weights: the activation (with <paramref name="K"/> for TopK), whether
/// <c>b_dec</c> is subtracted from the (normalised) input before encoding (SAELens <c>apply_b_dec_to_input</c>), and the
/// run-time input normalisation.</summary>
public sealed record SaeArchitecture(
    SaeActivation Activation,
    int? K = null,
    bool SubtractDecoderBiasFromInput = false,
    SaeNormalization Normalization = SaeNormalization.None);
