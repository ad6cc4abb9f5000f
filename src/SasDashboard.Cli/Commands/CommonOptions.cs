using System.CommandLine;
using SasDashboard.Cli.Configuration;
using SasDashboard.Steering.Runtime;

namespace SasDashboard.Cli.Commands;

/// <summary>Options that several verbs share, created fresh for each command (an option belongs to one parent).</summary>
public static class CommonOptions
{
    public static Option<string> Device(EngineOptions engine) => new("--device")
    {
        Description = "Where to compute: auto (CUDA when available), cpu or cuda.",
        DefaultValueFactory = _ => engine.Device,
    };

    public static Option<string> DType(EngineOptions engine) => new("--dtype")
    {
        Description = "Compute precision: f32, bf16 or f16.",
        DefaultValueFactory = _ => engine.DType,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of text." };

    public static Option<string> Model() => new("--model")
    {
        Description = "A Hugging Face model directory (config.json, safetensors weights, tokenizer).",
        Required = true,
    };

    public static ComputeTarget Target(ParseResult result, Option<string> device, Option<string> dtype) =>
        ComputeTarget.Parse(result.GetValue(device)!, result.GetValue(dtype)!);
}
