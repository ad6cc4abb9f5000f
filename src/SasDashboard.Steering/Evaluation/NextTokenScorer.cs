using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Evaluation;

/// <summary>
/// Next-token probabilities of each prompt's candidate answers (softmax over the whole vocabulary), in left-padded
/// batches. The sweep variant evaluates several steering strengths at once: blocks below the steered layer do not
/// depend on λ, so they run once per batch and their output is replicated for every λ.
/// </summary>
public static class NextTokenScorer
{
    /// <returns>Per prompt, the probability of each candidate.</returns>
    public static double[][] Probabilities(CausalLanguageModel model, IReadOnlyList<NextTokenPrompt> prompts, int padId,
        IReadOnlyList<IResidualStreamHook>? hooks = null, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        var results = new double[prompts.Count][];
        using var noGrad = no_grad();
        foreach (var (start, batch) in Batches(prompts, batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (ids, mask) = Pad(batch, padId, model.Target.Device);
            var logits = model.Forward(ids, mask, hooks: hooks, lastTokenOnly: true).select(1, 0);
            var probabilities = CandidateProbabilities(logits, batch, repeats: 1);
            for (int i = 0; i < batch.Count; i++) results[start + i] = probabilities[i];
        }
        return results;
    }

    /// <returns>Per λ (outer) and prompt (inner), the probability of each candidate.</returns>
    public static double[][][] SweepProbabilities(CausalLanguageModel model, IReadOnlyList<NextTokenPrompt> prompts,
        int padId, SteeringHook hook, IReadOnlyList<double> lambdas, int batchSize = 16,
        CancellationToken cancellationToken = default)
    {
        int k = lambdas.Count;
        var results = Enumerable.Range(0, k).Select(_ => new double[prompts.Count][]).ToArray();
        int firstSteered = hook.Layers.Min();
        using var noGrad = no_grad();
        foreach (var (start, batch) in Batches(prompts, Math.Max(1, batchSize / k)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (ids, mask) = Pad(batch, padId, model.Target.Device);
            Tensor shared;
            using (var context = model.Prepare(ids, mask))
                shared = model.RunLayers(model.Embed(ids), context, 0, firstSteered + 1);

            // Row r = λ index (r / batch) × prompt (r % batch).
            var allIds = ids.repeat(k, 1);
            using var allContext = model.Prepare(allIds, mask.repeat(k, 1));
            hook.RowMultipliers = tensor(lambdas.SelectMany(l => Enumerable.Repeat((float)l, batch.Count)).ToArray())
                .to(model.Target.Device);
            try
            {
                var steered = hook.OnResidual(firstSteered, shared.repeat(k, 1, 1), allContext);
                var hidden = model.RunLayers(steered, allContext, firstSteered + 1, model.NumLayers, [hook]);
                var logits = model.Logits(hidden.narrow(1, hidden.shape[1] - 1, 1)).select(1, 0);
                var probabilities = CandidateProbabilities(logits, batch, repeats: k);
                for (int l = 0; l < k; l++)
                for (int i = 0; i < batch.Count; i++)
                    results[l][start + i] = probabilities[l * batch.Count + i];
            }
            finally
            {
                hook.RowMultipliers = null;
            }
        }
        return results;
    }

    private static IEnumerable<(int Start, List<NextTokenPrompt> Batch)> Batches(IReadOnlyList<NextTokenPrompt> prompts, int size)
    {
        for (int start = 0; start < prompts.Count; start += size)
            yield return (start, prompts.Skip(start).Take(size).ToList());
    }

    private static (Tensor Ids, Tensor Mask) Pad(List<NextTokenPrompt> batch, int padId, Device device) =>
        TokenGenerator.LeftPad(batch.Select(p => p.Ids).ToList(), batch.Max(p => p.Ids.Count), 0, padId, device);

    /// <param name="logits"><c>[rows, vocab]</c>, rows = repeats × batch.</param>
    private static double[][] CandidateProbabilities(Tensor logits, List<NextTokenPrompt> batch, int repeats)
    {
        var probabilities = logits.to(ScalarType.Float32).softmax(-1);
        int width = batch.Max(p => p.CandidateIds.Count);
        var index = new long[repeats * batch.Count * width];
        for (int r = 0; r < repeats * batch.Count; r++)
        {
            var candidates = batch[r % batch.Count].CandidateIds;
            for (int c = 0; c < width; c++) index[r * width + c] = candidates[Math.Min(c, candidates.Count - 1)];
        }
        var gathered = probabilities.gather(1, tensor(index, [repeats * batch.Count, width]).to(logits.device))
            .to(ScalarType.Float64).cpu().data<double>().ToArray();
        return Enumerable.Range(0, repeats * batch.Count)
            .Select(r => gathered.Skip(r * width).Take(batch[r % batch.Count].CandidateIds.Count).ToArray())
            .ToArray();
    }
}
