using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Tokenization;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

public sealed record ActivationCollectionProgress(int PairsDone, int Pairs);

/// <summary>
/// Runs contrastive pairs through the model in batches and keeps the residual stream at the answer-letter token after
/// each requested layer, in one pass for all layers; blocks above the highest layer and the output head are skipped.
/// With a cache, layers already stored are read back and only the missing ones are computed.
/// </summary>
public static class ActivationCollector
{
    public static IReadOnlyDictionary<int, ContrastiveActivations> Collect(CausalLanguageModel model,
        ModelTokenizer tokenizer, BehaviorDataset dataset, IReadOnlyList<int> layers, PromptTemplate template,
        int batchSize = 8, ActivationCache? cache = null, IProgress<ActivationCollectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        foreach (int layer in layers)
            if (layer < 0 || layer >= model.NumLayers)
                throw new ArgumentException($"layer {layer} is outside the model's {model.NumLayers} layers (0–{model.NumLayers - 1})");
        if (dataset.Items.Count == 0) throw new ArgumentException($"{dataset.SourcePath}: no items to collect activations from");

        var result = new Dictionary<int, ContrastiveActivations>();
        string? fingerprint = cache is null || model.SourceDirectory is null ? null : ModelFingerprint.Of(model.SourceDirectory);
        var missing = new List<int>();
        foreach (int layer in layers.Distinct())
        {
            var cached = fingerprint is null ? null : cache!.TryLoad(fingerprint, dataset.ContentHash, layer, template.Name);
            if (cached is not null) result[layer] = cached;
            else missing.Add(layer);
        }
        if (missing.Count == 0) return result;

        var prompts = dataset.Items.SelectMany(item =>
        {
            var (positive, negative) = ContrastivePrompts.For(item, tokenizer, template);
            return new[] { positive, negative };
        }).ToList();
        var rows = Run(model, prompts, missing, tokenizer.PadId, batchSize, progress, cancellationToken);
        foreach (int layer in missing)
        {
            using var all = stack(rows[layer]);
            var activations = new ContrastiveActivations
            {
                Layer = layer,
                Positive = all.index_select(0, arange(0, prompts.Count, 2, ScalarType.Int64)),
                Negative = all.index_select(0, arange(1, prompts.Count, 2, ScalarType.Int64)),
            };
            foreach (var row in rows[layer]) row.Dispose();
            if (fingerprint is not null) cache!.Save(fingerprint, dataset.ContentHash, template.Name, activations);
            result[layer] = activations;
        }
        return result;
    }

    private static Dictionary<int, List<Tensor>> Run(CausalLanguageModel model, List<LetterPrompt> prompts,
        List<int> layers, int padId, int batchSize, IProgress<ActivationCollectionProgress>? progress,
        CancellationToken cancellationToken)
    {
        var rows = layers.ToDictionary(l => l, _ => new List<Tensor>());
        int top = layers.Max();
        using var noGrad = no_grad();
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batch = prompts.Skip(start).Take(batchSize).ToList();
            int width = batch.Max(p => p.Ids.Count);
            var (ids, mask) = TokenGenerator.LeftPad(batch.Select(p => p.Ids).ToList(), width, 0, padId, model.Target.Device);
            var letterColumns = tensor(batch.Select(p => (long)(width - p.Ids.Count + p.LetterTokenIndex)).ToArray())
                .to(model.Target.Device);
            var capture = new LetterCapture(layers, letterColumns);
            using var context = model.Prepare(ids, mask);
            model.RunLayers(model.Embed(ids), context, 0, top + 1, [capture]);
            foreach (var (layer, captured) in capture.Captured)
                rows[layer].AddRange(captured.unbind(0).Select(r => r.DetachFromDisposeScope()));
            progress?.Report(new ActivationCollectionProgress(Math.Min(start + batchSize, prompts.Count) / 2, prompts.Count / 2));
        }
        return rows;
    }

    /// <summary>Copies each row's residual at its letter column, fp32 on the CPU.</summary>
    private sealed class LetterCapture(IReadOnlyCollection<int> layers, Tensor columns) : IResidualStreamHook
    {
        public Dictionary<int, Tensor> Captured { get; } = new();
        public IReadOnlyCollection<int> Layers => layers;

        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
        {
            var rowsIndex = arange(residual.shape[0], ScalarType.Int64, residual.device);
            Captured[layer] = residual.index([rowsIndex, columns]).to(ScalarType.Float32).cpu();
            return residual;
        }
    }
}
