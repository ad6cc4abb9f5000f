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
        IReadOnlyList<IResidualStreamHook>? hooks = null, int batchSize = 16, IProgress<ScoringProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Score(ScoringPass.Plain(model, hooks), prompts, padId, batchSize, progress, cancellationToken)[0];

    /// <returns>Per λ (outer) and prompt (inner), the probability of each candidate.</returns>
    public static double[][][] SweepProbabilities(CausalLanguageModel model, IReadOnlyList<NextTokenPrompt> prompts,
        int padId, SteeringHook hook, IReadOnlyList<double> lambdas, int batchSize = 16,
        IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Score(ScoringPass.Sweep(model, hook, lambdas), prompts, padId, batchSize, progress, cancellationToken);

    private static double[][][] Score(ScoringPass pass, IReadOnlyList<NextTokenPrompt> prompts, int padId, int batchSize,
        IProgress<ScoringProgress>? progress, CancellationToken cancellationToken) =>
        pass.Run(prompts, batchSize, batch =>
        {
            var (ids, mask) = TokenGenerator.LeftPad(batch.Select(p => p.Ids).ToList(), batch.Max(p => p.Ids.Count), 0, padId,
                pass.Model.Target.Device);
            var hidden = pass.FinalHidden(ids, mask, promptLength: null);
            var logits = pass.Model.Logits(hidden.narrow(1, hidden.shape[1] - 1, 1)).select(1, 0);
            return CandidateProbabilities(logits, batch, pass.Repeats);
        }, "scoring", progress, cancellationToken);

    /// <param name="logits"><c>[rows, vocab]</c>, rows = repeats × batch.</param>
    /// <remarks>Log-softmax in float32, exponentiated in float64: tiny probabilities stay positive.</remarks>
    private static double[][] CandidateProbabilities(Tensor logits, IReadOnlyList<NextTokenPrompt> batch, int repeats)
    {
        var logProbabilities = logits.to(ScalarType.Float32).log_softmax(-1);
        int rows = repeats * batch.Count, width = batch.Max(p => p.CandidateIds.Count);
        var index = new long[rows * width];
        for (int r = 0; r < rows; r++)
        {
            var candidates = batch[r % batch.Count].CandidateIds;
            for (int c = 0; c < width; c++) index[r * width + c] = candidates[Math.Min(c, candidates.Count - 1)];
        }
        var gathered = logProbabilities.gather(1, tensor(index, [rows, width]).to(logits.device))
            .to(ScalarType.Float64).exp().cpu().data<double>().ToArray();
        return Enumerable.Range(0, rows)
            .Select(r => gathered.Skip(r * width).Take(batch[r % batch.Count].CandidateIds.Count).ToArray())
            .ToArray();
    }
}
