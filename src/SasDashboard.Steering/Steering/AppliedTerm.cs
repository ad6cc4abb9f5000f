namespace SasDashboard.Steering.Steering;

/// <summary>
/// What one term of a setup turned out to be once its files were read: the method (<c>caa</c>, <c>sas</c> or
/// <c>feature</c>), the layer, the weight, the file it came from, and for SAS the SAE and τ — the axes of a sweep's charts.
/// </summary>
public sealed record AppliedTerm(string Method, int Layer, double Weight, string Source, string? Sae = null,
    long? Feature = null, double? Tau = null, string? Behavior = null);
