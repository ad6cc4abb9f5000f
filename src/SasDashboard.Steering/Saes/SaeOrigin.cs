namespace SasDashboard.Steering.Saes;

/// <summary>Where an SAE came from: <paramref name="Format"/> is "gemma-scope", "saelens" or "llama-scope" for loaded
/// ones; <paramref name="FoldedNormalization"/> names a constant normalisation that was folded into the weights.</summary>
public sealed record SaeOrigin(
    string Format,
    string SourcePath,
    string? HookName = null,
    int? Layer = null,
    string? FoldedNormalization = null);
