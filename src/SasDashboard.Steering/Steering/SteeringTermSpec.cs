using System.Globalization;
using System.Text.Json.Serialization;

namespace SasDashboard.Steering.Steering;

/// <summary>
/// One term of a steering composition as data (files and numbers, no tensors), so that sweeps and jobs can store it;
/// <see cref="SteeringLibrary"/> turns it into a <see cref="SteeringTerm"/>. <see cref="Weight"/> is the term's strength
/// at λ = 1: a sweep's λ multiplies every term's weight.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(VectorTermSpec), "vector")]
[JsonDerivedType(typeof(FeatureTermSpec), "feature")]
public abstract record SteeringTermSpec(double Weight)
{
    /// <summary>A stable text naming the term, part of sweep point keys.</summary>
    public abstract string Key { get; }

    private protected static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// A saved steering vector (CAA: dense; SAS: sparse in its SAE). <paramref name="Layer"/> applies it after another block
/// than the one it was built at; <paramref name="SaePath"/> replaces the SAE path stored in a SAS vector.
/// <paramref name="NormTo"/> rescales the vector so that its residual-space direction (a SAS vector's decoded one) has
/// this norm at weight 1: CAA and SAS vectors, or vectors of different SAEs, then share one λ scale.
/// </summary>
public sealed record VectorTermSpec(string Path, double Weight = 1, int? Layer = null, string? SaePath = null,
    double? NormTo = null)
    : SteeringTermSpec(Weight)
{
    public override string Key =>
        $"vector:{Path}*{Number(Weight)}" + (Layer is { } layer ? $"@L{layer}" : "") + (SaePath is null ? "" : $"[sae={SaePath}]")
        + (NormTo is { } norm ? $"|norm={Number(norm)}" : "");
}

/// <summary>One SAE feature pushed with <see cref="SteeringTermSpec.Weight"/>; <paramref name="Layer"/> defaults to the SAE's own layer.</summary>
public sealed record FeatureTermSpec(string SaePath, long Feature, double Weight = 1, int? Layer = null)
    : SteeringTermSpec(Weight)
{
    public override string Key => $"feature:{SaePath}#{Feature}*{Number(Weight)}" + (Layer is { } layer ? $"@L{layer}" : "");
}
