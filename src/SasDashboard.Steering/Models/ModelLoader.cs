using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;

namespace SasDashboard.Steering.Models;

/// <summary>Builds the right architecture for a config, from a checkpoint directory or from any weight source.</summary>
public static class ModelLoader
{
    public static CausalLanguageModel Load(string modelDirectory, ComputeTarget target)
    {
        var config = ModelConfig.Load(modelDirectory);
        using var weights = new CheckpointWeightSource(modelDirectory, target.DType, target.Device);
        var model = Create(config, weights, target);
        model.SourceDirectory = Path.GetFullPath(modelDirectory);
        return model;
    }

    public static CausalLanguageModel Create(ModelConfig config, IWeightSource weights, ComputeTarget target)
    {
        CausalLanguageModel model = config.Architecture switch
        {
            ModelConfig.Gemma2Architecture => new Gemma2ForCausalLM(config, weights, target),
            ModelConfig.LlamaArchitecture => new LlamaForCausalLM(config, weights, target),
            _ => throw new CheckpointException($"unsupported architecture '{config.Architecture}'"),
        };
        model.eval();
        return model;
    }
}
