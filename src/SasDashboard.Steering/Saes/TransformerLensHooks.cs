using System.Text.RegularExpressions;

namespace SasDashboard.Steering.Saes;

/// <summary>TransformerLens hook names (<c>blocks.{L}.hook_resid_post</c>, ...), which SAE configs use to say where they read.</summary>
internal static partial class TransformerLensHooks
{
    public static int? LayerOf(string? hookName) =>
        hookName is not null && BlockPrefix().Match(hookName) is { Success: true } match ? int.Parse(match.Groups["layer"].Value) : null;

    [GeneratedRegex(@"^blocks\.(?<layer>\d+)\.")]
    private static partial Regex BlockPrefix();
}
