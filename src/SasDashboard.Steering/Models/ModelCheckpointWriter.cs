using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>Saves a model as a Hugging Face directory (<c>config.json</c> + <c>model.safetensors</c>) that
/// <see cref="ModelLoader"/> and transformers both read.</summary>
public static class ModelCheckpointWriter
{
    public static void Save(CausalLanguageModel model, string directory, ScalarType? dtype = null)
    {
        Directory.CreateDirectory(directory);
        var storedType = dtype ?? model.Target.DType;
        var config = model.Config with { TorchDType = TorchDTypeName(storedType) };
        using var scope = NewDisposeScope();
        var tensors = model.NamedWeights()
            .Select(p => KeyValuePair.Create(p.Name, p.Weight.detach().to(storedType)))
            .ToList();
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors,
            new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
    }

    private static string TorchDTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new ArgumentException($"cannot store a model in {dtype}"),
    };
}
