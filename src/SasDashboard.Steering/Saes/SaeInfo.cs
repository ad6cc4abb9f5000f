using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>What a loaded SAE is, for display and for checking it against a model.</summary>
public sealed record SaeInfo(
    string Format,
    string SourcePath,
    int InputSize,
    int FeatureCount,
    SaeActivation Activation,
    int? K,
    string? HookName,
    int? Layer,
    ScalarType DType,
    string Normalization);
