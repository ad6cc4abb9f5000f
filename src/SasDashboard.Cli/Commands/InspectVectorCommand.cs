using System.CommandLine;
using SasDashboard.Steering.Vectors;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas inspect-vector FILE</c>: a saved vector's recipe, L0, norm and top features.</summary>
public static class InspectVectorCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A steering vector saved by build-vector." };
        var top = new Option<int>("--top") { DefaultValueFactory = _ => 10 };
        var json = CommonOptions.Json();
        var command = new Command("inspect-vector", "Print a steering vector's provenance, L0, norm and top features.") { file, top, json };
        command.SetAction(async (result, writer, _) =>
        {
            var path = result.GetValue(file)!;
            using var vector = SteeringVectorFile.Load(path);
            var summary = VectorSummary.Of(vector, path, result.GetValue(top));
            if (result.GetValue(json)) await writer.WriteJsonAsync(summary);
            else await writer.WriteLineAsync(summary.ToText());
        });
        return command;
    }
}

/// <summary>What build-vector and inspect-vector print about a vector.</summary>
public sealed record VectorSummary(string Path, string Method, string Model, int Layer, string? Behavior, int Pairs,
    string DatasetHash, string Template, string? Sae, int? SaeWidth, SasOptions? Sas, int L0, double Norm,
    IReadOnlyList<FeatureValue> TopFeatures)
{
    public static VectorSummary Of(SteeringVector v, string path, int top) => new(path, v.Method.ToString().ToLowerInvariant(),
        v.Provenance.Model, v.Provenance.Layer, v.Provenance.Behavior, v.Provenance.Pairs, v.Provenance.DatasetHash,
        v.Provenance.Template, v.Sae?.Path, v.Sae?.FeatureCount, v.Sas, v.L0, v.Norm, v.TopFeatures(top));

    public string ToText()
    {
        var lines = new List<string>
        {
            $"{Method.ToUpperInvariant()} vector {Path}",
            $"  model {Model}, layer {Layer}, behaviour {Behavior ?? "-"}, {Pairs} pairs, template {Template}",
            $"  L0 {L0}, norm {Norm:G4}",
        };
        if (Sae is not null)
            lines.Add($"  SAE {Sae} ({SaeWidth} features), τ {Sas!.Tau}{(Sas.FilterByFrequency ? "" : " (off)")}, " +
                      $"drop shared {Sas.DropSharedFeatures}, positive only {Sas.PositiveSideOnly}");
        lines.Add($"  top {(Sae is null ? "dimensions" : "features")}: " +
                  string.Join(", ", TopFeatures.Select(f => $"{f.Index}:{f.Value:G3}")));
        return string.Join(Environment.NewLine, lines);
    }
}
