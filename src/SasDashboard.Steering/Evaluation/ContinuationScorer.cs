using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Evaluation;

/// <summary>
/// Log-likelihoods of continuations given their prompts: the sum over the continuation's tokens of
/// log P(token | everything before it). Batches are laid out as generation lays them out — prompts left-padded to a
/// common length, continuations appended and right-padded — so every continuation starts at the same position and
/// steering restricted to generated tokens treats a scored continuation exactly like a generated one. The sweep variant
/// is λ-batched like <see cref="NextTokenScorer.SweepProbabilities"/>.
/// </summary>
public static class ContinuationScorer
{
    /// <summary>Logits computed at once, in elements (256 MB of float32).</summary>
    private const long LogitBudget = 1L << 26;

    /// <returns>Per sequence, the log-likelihood of its continuation (natural log).</returns>
    public static double[] LogLikelihoods(CausalLanguageModel model, IReadOnlyList<ContinuationPrompt> sequences, int padId,
        IReadOnlyList<IResidualStreamHook>? hooks = null, int batchSize = 16, IProgress<ScoringProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Score(ScoringPass.Plain(model, hooks), sequences, padId, batchSize, "scoring", progress, cancellationToken)[0];

    /// <summary>
    /// As <see cref="LogLikelihoods"/> without steering, naming its stage in progress reports, and with the number of
    /// logits computed at once as a parameter.
    /// </summary>
    internal static double[] LogLikelihoods(CausalLanguageModel model, IReadOnlyList<ContinuationPrompt> sequences, int padId,
        int batchSize, string stage, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken,
        long logitBudget = LogitBudget) =>
        Score(ScoringPass.Plain(model, null), sequences, padId, batchSize, stage, progress, cancellationToken, logitBudget)[0];

    /// <returns>Per λ (outer) and sequence (inner), the log-likelihood of the continuation.</returns>
    public static double[][] SweepLogLikelihoods(CausalLanguageModel model, IReadOnlyList<ContinuationPrompt> sequences,
        int padId, SteeringHook hook, IReadOnlyList<double> lambdas, int batchSize = 16,
        IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Score(ScoringPass.Sweep(model, hook, lambdas), sequences, padId, batchSize, "scoring", progress, cancellationToken);

    private static double[][] Score(ScoringPass pass, IReadOnlyList<ContinuationPrompt> sequences, int padId, int batchSize,
        string stage, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken, long logitBudget = LogitBudget)
    {
        foreach (var sequence in sequences)
            if (sequence.PromptIds.Count == 0 || sequence.ContinuationIds.Count == 0)
                throw new ArgumentException("every sequence needs at least one prompt token and one continuation token");
        return pass.Run(sequences, batchSize, batch => ScoreBatch(pass, batch, padId, logitBudget), stage, progress, cancellationToken);
    }

    private static double[] ScoreBatch(ScoringPass pass, IReadOnlyList<ContinuationPrompt> batch, int padId, long logitBudget)
    {
        var device = pass.Model.Target.Device;
        int rows = batch.Count, promptLength = batch.Max(s => s.PromptIds.Count), width = batch.Max(s => s.ContinuationIds.Count);
        int total = promptLength + width;
        var ids = new long[rows * total];
        var mask = new long[rows * total];
        for (int b = 0; b < rows; b++)
        {
            var (prompt, continuation) = (batch[b].PromptIds, batch[b].ContinuationIds);
            int offset = promptLength - prompt.Count;
            for (int t = 0; t < total; t++)
            {
                int? id = t < offset ? null
                    : t < promptLength ? prompt[t - offset]
                    : t - promptLength < continuation.Count ? continuation[t - promptLength]
                    : null;
                ids[b * total + t] = id ?? padId;
                mask[b * total + t] = id is null ? 0 : 1;
            }
        }
        var idTensor = tensor(ids, [rows, total]).to(device);
        var maskTensor = tensor(mask, [rows, total]).to(device);

        var hidden = pass.FinalHidden(idTensor, maskTensor, promptLength);
        // Position p predicts token p + 1: the continuation's tokens are predicted from positions promptLength − 1 on.
        int k = pass.Repeats;
        var predicting = hidden.narrow(1, promptLength - 1, width);
        var targets = idTensor.narrow(1, promptLength, width).repeat(k, 1).unsqueeze(-1);
        var padding = maskTensor.narrow(1, promptLength, width).repeat(k, 1) == 0;
        // Logits for a few positions at a time: all of them at once would be rows × width × vocabulary floats.
        long rowsTotal = predicting.shape[0], chunk = Math.Max(1, logitBudget / (rowsTotal * pass.Model.Config.VocabSize));
        var tokenLogProbabilities = new List<Tensor>();
        for (long start = 0; start < width; start += chunk)
        {
            long length = Math.Min(chunk, width - start);
            using var scope = NewDisposeScope();
            var logProbabilities = pass.Model.Logits(predicting.narrow(1, start, length)).to(ScalarType.Float32).log_softmax(-1);
            tokenLogProbabilities.Add(logProbabilities.gather(2, targets.narrow(1, start, length)).squeeze(-1)
                .to(ScalarType.Float64).MoveToOuterDisposeScope());
        }
        return cat(tokenLogProbabilities, 1).masked_fill(padding, 0).sum(1).cpu().data<double>().ToArray();
    }
}
