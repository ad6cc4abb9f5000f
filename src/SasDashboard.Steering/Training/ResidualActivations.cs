using SasDashboard.Steering.Models;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Training;

/// <summary>The residual stream after one block over a corpus: the training data of a sparse autoencoder.</summary>
public static class ResidualActivations
{
    /// <summary>
    /// Runs <paramref name="documents"/> through blocks 0..<paramref name="layer"/> and returns the residual vectors
    /// <c>[tokens, hidden]</c> (float32, CPU) of their real tokens, BOS excluded (its residual is an outlier that SAEs
    /// are not trained on, as in Gemma Scope), until <paramref name="maxTokens"/> are gathered.
    /// </summary>
    public static Tensor Collect(CausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> documents, int layer,
        int maxTokens, int padId, CancellationToken cancellationToken = default, int batchSize = 32)
    {
        if (layer < 0 || layer >= model.NumLayers)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside the model's 0..{model.NumLayers - 1}");
        var gathered = new List<Tensor>();
        long count = 0;
        try
        {
            using var noGrad = no_grad();
            foreach (var chunk in documents.Where(d => d.Count > 1).Chunk(batchSize))
            {
                if (count >= maxTokens) break;
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int width = chunk.Max(d => d.Count);
                var ids = new long[chunk.Length * width];
                var real = new bool[chunk.Length * width];
                Array.Fill(ids, padId);
                for (int b = 0; b < chunk.Length; b++)
                for (int t = 0; t < chunk[b].Count; t++)
                {
                    ids[b * width + t] = chunk[b][t];
                    real[b * width + t] = t > 0;
                }
                // Right padding needs no mask: causal attention never lets a real token see the pads after it.
                var input = tensor(ids, [chunk.Length, width]).to(model.Target.Device);
                using var context = model.Prepare(input);
                var hidden = model.RunLayers(model.Embed(input), context, 0, layer + 1);
                var selected = hidden.reshape(-1, hidden.shape[^1])
                    .index_select(0, tensor(real).nonzero().squeeze(1).to(model.Target.Device));
                var taken = selected.narrow(0, 0, Math.Min(selected.shape[0], maxTokens - count));
                count += taken.shape[0];
                gathered.Add(taken.to(ScalarType.Float32).cpu().DetachFromDisposeScope());
            }
            if (gathered.Count == 0) throw new ArgumentException("no document has a token after BOS");
            return cat(gathered, 0);
        }
        finally
        {
            foreach (var t in gathered) t.Dispose();
        }
    }
}
