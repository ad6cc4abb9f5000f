namespace SasDashboard.Cli.Configuration;

/// <summary>The "Engine" section: the defaults of the options that say where the engine computes and keeps its data.</summary>
public sealed record EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Caches and generated files; empty = the engine's default (<see cref="Steering.Runtime.DataDirectory.Root"/>).</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The default of <c>--device</c>: auto, cpu or cuda.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>The default of <c>--dtype</c>: f32, bf16 or f16.</summary>
    public string DType { get; set; } = "f32";

    /// <summary>The data directory in effect: the configured one, else the engine's default.</summary>
    public string DataRoot => DataDirectory is { Length: > 0 } ? DataDirectory : Steering.Runtime.DataDirectory.Root;

    /// <summary>Where activations are cached (the default of <c>build-vector --cache-dir</c>).</summary>
    public string ActivationCache => Path.Combine(DataRoot, "activations");

    /// <summary>The judgment cache of open-ended evaluations (the default of <c>eval --judge-cache</c>).</summary>
    public string JudgmentCache => Path.Combine(DataRoot, "judgments.jsonl");
}
