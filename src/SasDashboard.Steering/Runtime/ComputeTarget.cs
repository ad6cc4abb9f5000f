using TorchSharp;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Runtime;

/// <summary>Where and in which precision the engine computes: parsed from <c>--device auto|cpu|cuda</c> and
/// <c>--dtype f32|bf16|f16</c>.</summary>
public sealed record ComputeTarget(Device Device, ScalarType DType)
{
    public static ComputeTarget Cpu { get; } = new(CPU, ScalarType.Float32);

    public static ComputeTarget Parse(string device = "auto", string dtype = "f32") =>
        new(ParseDevice(device), ParseDType(dtype));

    public static Device ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cpu" => CPU,
        "cuda" => cuda.is_available()
            ? CUDA
            : throw new ArgumentException(
                "--device cuda: no CUDA device is available (this build uses the TorchSharp-cpu backend unless built with -p:TorchBackend=cuda)"),
        _ when name.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase) && cuda.is_available() => new Device(name),
        _ => throw new ArgumentException($"--device '{name}': expected auto, cpu or cuda"),
    };

    public static ScalarType ParseDType(string name) => name.ToLowerInvariant() switch
    {
        "f32" or "float32" or "fp32" => ScalarType.Float32,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        "f16" or "float16" or "fp16" => ScalarType.Float16,
        _ => throw new ArgumentException($"--dtype '{name}': expected f32, bf16 or f16"),
    };

    public static string NameOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "f32",
        ScalarType.BFloat16 => "bf16",
        ScalarType.Float16 => "f16",
        _ => dtype.ToString(),
    };

    public override string ToString() => $"{Device.type.ToString().ToLowerInvariant()}/{NameOf(DType)}";
}
