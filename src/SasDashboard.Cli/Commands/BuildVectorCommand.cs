using System.CommandLine;
using SasDashboard.Cli.Configuration;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Vectors;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas build-vector</c>: a CAA or SAS steering vector from a CAA behaviour file.</summary>
public static class BuildVectorCommand
{
    public static Command Create(EngineOptions engine)
    {
        var model = CommonOptions.Model();
        var layer = new Option<int>("--layer") { Description = "Residual stream after this block (0-based).", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "A CAA behaviour file (generate_dataset.json layout).", Required = true };
        var method = new Option<string>("--method") { Description = "sas or caa.", Required = true };
        method.AcceptOnlyFromAmong("sas", "caa");
        var sae = new Option<string?>("--sae") { Description = "SAE for --method sas (Gemma Scope params.npz, SAELens or Llama Scope folder)." };
        var tau = new Option<double>("--tau") { Description = "Keep features active in more than this fraction of a side's examples.", DefaultValueFactory = _ => 0.7 };
        var noTau = new Option<bool>("--no-tau-filter") { Description = "Ablation: keep every feature active at least once." };
        var keepShared = new Option<bool>("--keep-shared") { Description = "Ablation: keep features kept on both sides." };
        var positiveOnly = new Option<bool>("--positive-only") { Description = "Ablation: positive side's mean only." };
        var output = new Option<string?>("--out") { Description = "Output file (default: <behaviour>-<method>-L<layer>.safetensors)." };
        var template = new Option<string>("--template") { Description = "auto (the model's), gemma, llama3 or plain.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8 };
        var cacheDir = new Option<string>("--cache-dir") { Description = "Activation cache.", DefaultValueFactory = _ => engine.ActivationCache };
        var top = new Option<int>("--top") { Description = "Features to list.", DefaultValueFactory = _ => 10 };
        var device = CommonOptions.Device(engine);
        var dtype = CommonOptions.DType(engine);
        var json = CommonOptions.Json();
        var command = new Command("build-vector", "Build a CAA or SAS steering vector from contrastive A/B pairs.")
        {
            model, layer, dataset, method, sae, tau, noTau, keepShared, positiveOnly, output, template, batch, cacheDir, top,
            device, dtype, json,
        };
        command.SetAction(async (result, writer, ct) =>
        {
            var target = CommonOptions.Target(result, device, dtype);
            bool sas = result.GetValue(method) == "sas";
            string? saePath = result.GetValue(sae);
            if (sas && saePath is null) throw new ArgumentException("--method sas needs --sae");
            var data = await CaaBehaviorImporter.ImportAsync(result.GetValue(dataset)!, ct);
            var directory = result.GetValue(model)!;
            var tokenizer = ModelTokenizer.Load(directory);
            var chosenTemplate = result.GetValue(template) == "auto" ? tokenizer.Template : PromptTemplate.FromName(result.GetValue(template)!);
            int l = result.GetValue(layer);
            var log = result.GetValue(json) ? TextWriter.Null : writer;

            var vector = await Task.Run(() =>
            {
                using var lm = ModelLoader.Load(directory, target);
                using var sparse = sas ? SaeLoader.Load(saePath!, target with { DType = TorchSharp.torch.ScalarType.Float32 }, lm.Config.HiddenSize) : null;
                var activations = ActivationCollector.Collect(lm, tokenizer, data, [l], chosenTemplate, result.GetValue(batch),
                    new ActivationCache(result.GetValue(cacheDir)!),
                    new Progress<ActivationCollectionProgress>(p => log.Write($"\r{p.PairsDone}/{p.Pairs} pairs")), ct)[l];
                using (activations)
                {
                    var provenance = new VectorProvenance(Path.GetFileName(Path.GetFullPath(directory)), l, lm.Config.HiddenSize,
                        data.ContentHash, activations.Pairs, chosenTemplate.Name, data.Behavior, Path.GetFullPath(data.SourcePath));
                    return sas
                        ? SasVectorBuilder.Build(activations, sparse!, new SasOptions(result.GetValue(tau), !result.GetValue(noTau),
                            !result.GetValue(keepShared), result.GetValue(positiveOnly)), provenance, Path.GetFullPath(saePath!), ct)
                        : CaaVectorBuilder.Build(activations, provenance);
                }
            }, ct);
            using (vector)
            {
                var path = result.GetValue(output) ?? $"{data.Behavior}-{result.GetValue(method)}-L{l}.safetensors";
                SteeringVectorFile.Save(path, vector);
                var summary = VectorSummary.Of(vector, path, result.GetValue(top));
                if (result.GetValue(json)) await writer.WriteJsonAsync(summary);
                else await writer.WriteLineAsync($"\n{summary.ToText()}");
            }
        });
        return command;
    }
}
