namespace SasDashboard.Steering.Saes;

/// <summary>How an SAE turns pre-activations <c>z</c> into feature activations; all three give non-negative features.</summary>
public enum SaeActivation
{
    /// <summary><c>f = max(z, 0)</c> (SAELens <c>standard</c>).</summary>
    Relu,

    /// <summary><c>f = z · (z &gt; threshold)</c>, taken with ReLU as SAELens does so that a negative threshold (as folded
    /// from a gated SAE) still gives <c>f ≥ 0</c>; for <c>threshold ≥ 0</c> this is exactly Gemma Scope's formula.</summary>
    JumpRelu,

    /// <summary>Per token, the <c>K</c> largest pre-activations after ReLU; all others are zero.</summary>
    TopK,
}
