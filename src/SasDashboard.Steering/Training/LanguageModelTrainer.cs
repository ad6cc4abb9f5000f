using SasDashboard.Steering.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Training;

/// <summary>Hyper-parameters of next-token training with AdamW and a warm-up + cosine learning-rate schedule.</summary>
public sealed record LanguageModelTrainingOptions(int Steps, int BatchSize, int SequenceLength, double LearningRate = 3e-3,
    double MinLearningRate = 3e-4, int WarmupSteps = 20, double WeightDecay = 0.01, double GradientClip = 1.0,
    long Seed = 0);

public sealed record TrainingProgress(int Step, int Steps, double Loss, double LearningRate);

/// <summary>A training document's tokens, and which of them carry loss (null: all). Supervised fine-tuning style:
/// a conversation learns the assistant's answers, not the user's questions.</summary>
public sealed record TrainingSequence(IReadOnlyList<int> Ids, IReadOnlyList<bool>? Learned = null);

/// <summary>
/// Trains a <see cref="CausalLanguageModel"/> whose weights were created trainable, on documents packed into
/// fixed-length rows (padding positions carry no loss). Deterministic for a seed on a given machine.
/// </summary>
public static class LanguageModelTrainer
{
    public const long IgnoredTarget = -100;

    /// <returns>The mean loss over the last tenth of the steps.</returns>
    public static double Train(CausalLanguageModel model, IReadOnlyList<TrainingSequence> documents, int padId,
        LanguageModelTrainingOptions options, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var rows = PackRows(documents, options.SequenceLength + 1, padId);
        if (rows.Count == 0) throw new ArgumentException("no training documents");
        var random = new Random((int)options.Seed);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay);
        model.train();
        var recentLosses = new List<double>();
        try
        {
            for (int step = 0; step < options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double lr = LearningRateAt(step, options);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                using var scope = NewDisposeScope();
                var (batch, learned) = Batch(rows, options.BatchSize, random, model.Target.Device);
                var inputs = batch.narrow(1, 0, options.SequenceLength);
                var targets = batch.narrow(1, 1, options.SequenceLength).masked_fill(
                    learned.narrow(1, 1, options.SequenceLength).logical_not(), IgnoredTarget);
                var logits = model.Forward(inputs);
                var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1),
                    ignore_index: IgnoredTarget);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, options.GradientClip);
                optimizer.step();
                double value = loss.item<float>();
                if (step >= options.Steps - Math.Max(1, options.Steps / 10)) recentLosses.Add(value);
                progress?.Report(new TrainingProgress(step + 1, options.Steps, value, lr));
            }
        }
        finally
        {
            model.eval();
        }
        return recentLosses.Average();
    }

    internal static double LearningRateAt(int step, LanguageModelTrainingOptions o)
    {
        if (step < o.WarmupSteps) return o.LearningRate * (step + 1) / o.WarmupSteps;
        double progress = (double)(step - o.WarmupSteps) / Math.Max(1, o.Steps - o.WarmupSteps);
        return o.MinLearningRate + 0.5 * (o.LearningRate - o.MinLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Greedy packing: documents are concatenated into rows of <paramref name="width"/>; a document never
    /// straddles two rows (too long ones are cut), and each row is padded at the end with tokens that carry no loss.</summary>
    internal static List<(int[] Ids, bool[] Learned)> PackRows(IReadOnlyList<TrainingSequence> documents, int width, int padId)
    {
        var rows = new List<(int[], bool[])>();
        var ids = new List<int>(width);
        var learned = new List<bool>(width);
        foreach (var document in documents)
        {
            int length = Math.Min(document.Ids.Count, width);
            if (ids.Count + length > width)
            {
                rows.Add(Padded(ids, learned, width, padId));
                ids.Clear();
                learned.Clear();
            }
            for (int i = 0; i < length; i++)
            {
                ids.Add(document.Ids[i]);
                learned.Add(document.Learned?[i] ?? true);
            }
        }
        if (ids.Count > 0) rows.Add(Padded(ids, learned, width, padId));
        return rows;
    }

    private static (int[], bool[]) Padded(List<int> ids, List<bool> learned, int width, int padId)
    {
        var row = new int[width];
        Array.Fill(row, padId);
        ids.CopyTo(row);
        var mask = new bool[width];
        learned.CopyTo(mask);
        return (row, mask);
    }

    private static (Tensor Ids, Tensor Learned) Batch(List<(int[] Ids, bool[] Learned)> rows, int batchSize, Random random,
        Device device)
    {
        int width = rows[0].Ids.Length;
        var data = new long[batchSize * width];
        var mask = new bool[batchSize * width];
        for (int b = 0; b < batchSize; b++)
        {
            var (ids, learned) = rows[random.Next(rows.Count)];
            for (int t = 0; t < width; t++)
            {
                data[b * width + t] = ids[t];
                mask[b * width + t] = learned[t];
            }
        }
        return (tensor(data, [batchSize, width], ScalarType.Int64).to(device),
            tensor(mask, [batchSize, width]).to(device));
    }
}
