using System.CommandLine;
using SasDashboard.Steering.Models;
using static TorchSharp.torch;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas inspect-model --model DIR</c>: architecture, sizes and parameter count, from config.json and the weights' headers.</summary>
public static class InspectModelCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var json = CommonOptions.Json();
        var command = new Command("inspect-model", "Print a model's architecture, layers, hidden size, vocabulary and parameter count.")
        {
            model, json,
        };
        command.SetAction(async (result, output, _) =>
        {
            var directory = result.GetValue(model)!;
            var config = ModelConfig.Load(directory);
            using var weights = new CheckpointWeightSource(directory, ScalarType.Float32, CPU);
            var summary = new ModelSummary(config.Architecture, config.NumLayers, config.HiddenSize, config.IntermediateSize,
                config.NumHeads, config.NumKeyValueHeads, config.HeadDim, config.VocabSize, config.TieWordEmbeddings,
                config.TorchDType, config.ParameterCount(), weights.StoredParameterCount);
            if (result.GetValue(json)) await output.WriteJsonAsync(summary);
            else await output.WriteLineAsync(summary.ToText());
        });
        return command;
    }
}

public sealed record ModelSummary(string Architecture, int Layers, int HiddenSize, int IntermediateSize, int Heads,
    int KeyValueHeads, int HeadDim, int VocabularySize, bool TiedEmbeddings, string StoredDType, long ParameterCount,
    long StoredParameterCount)
{
    public string ToText() => $"""
        architecture      {Architecture}
        layers            {Layers}
        hidden size       {HiddenSize}
        intermediate size {IntermediateSize}
        attention heads   {Heads} ({KeyValueHeads} key/value, head dim {HeadDim})
        vocabulary size   {VocabularySize}
        tied embeddings   {(TiedEmbeddings ? "yes" : "no")}
        stored dtype      {StoredDType}
        parameters        {ParameterCount:N0} (stored in the checkpoint: {StoredParameterCount:N0})
        """;
}
