using SasDashboard.Steering.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Training;

/// <summary>Hyper-parameters of next-token training with AdamW and a warm-up + cosine learning-rate schedule.</summary>
public sealed record LanguageModelTrainingOptions(int Steps, int BatchSize, int SequenceLength, double LearningRate = 3e-3,
    double MinLearningRate = 3e-4, int WarmupSteps = 20, double WeightDecay = 0.01, double GradientClip = 1.0,
    long Seed = 0);

public sealed record TrainingProgress(int Step, int Steps, double Loss, double LearningRate);

/// <summary>
/// Trains a <see cref="CausalLanguageModel"/> whose weights were created trainable, on documents packed into
/// fixed-length rows (padding positions carry no loss). Deterministic for a seed on a given machine.
/// </summary>
public static class LanguageModelTrainer
{
    public const long IgnoredTarget = -100;

    /// <returns>The mean loss over the last tenth of the steps.</returns>
    public static double Train(CausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> documents, int padId,
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
                var batch = Batch(rows, options.BatchSize, random, padId, model.Target.Device);
                var inputs = batch.narrow(1, 0, options.SequenceLength);
                var targets = batch.narrow(1, 1, options.SequenceLength).masked_fill(
                    batch.narrow(1, 1, options.SequenceLength) == padId, IgnoredTarget);
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
    /// straddles two rows (too long ones are cut), and each row is padded at the end.</summary>
    internal static List<int[]> PackRows(IReadOnlyList<IReadOnlyList<int>> documents, int width, int padId)
    {
        var rows = new List<int[]>();
        var current = new List<int>(width);
        foreach (var document in documents)
        {
            var tokens = document.Count > width ? document.Take(width).ToList() : document;
            if (current.Count + tokens.Count > width)
            {
                rows.Add(Padded(current, width, padId));
                current.Clear();
            }
            current.AddRange(tokens);
        }
        if (current.Count > 0) rows.Add(Padded(current, width, padId));
        return rows;
    }

    private static int[] Padded(List<int> tokens, int width, int padId)
    {
        var row = new int[width];
        Array.Fill(row, padId);
        tokens.CopyTo(row);
        return row;
    }

    private static Tensor Batch(List<int[]> rows, int batchSize, Random random, int padId, Device device)
    {
        int width = rows[0].Length;
        var data = new long[batchSize * width];
        for (int b = 0; b < batchSize; b++)
        {
            var row = rows[random.Next(rows.Count)];
            for (int t = 0; t < width; t++) data[b * width + t] = row[t];
        }
        return tensor(data, [batchSize, width], ScalarType.Int64).to(device);
    }
}
