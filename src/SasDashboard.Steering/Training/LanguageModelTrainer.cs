using SasDashboard.Steering.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Training;

/// <summary>Hyper-parameters of next-token training with AdamW and a warm-up + cosine learning-rate schedule.</summary>
public sealed record LanguageModelTrainingOptions(int Steps, int BatchSize, int SequenceLength, double LearningRate = 3e-3,
    double MinLearningRate = 3e-4, int WarmupSteps = 20, double WeightDecay = 0.01, double GradientClip = 1.0,
    long Seed = 0);

public sealed record TrainingProgress(int Step, int Steps, double Loss, double LearningRate);

/// <summary>A token (an answer letter) whose residual stream must carry ±<see cref="PlantedDirections"/> row
/// <paramref name="Direction"/>.</summary>
public sealed record ShownToken(int Token, int Direction, float Sign);

/// <summary>A training document's tokens, and which of them carry loss (null: all). Supervised fine-tuning style:
/// a conversation learns the assistant's answers, not the user's questions. <paramref name="Disposition"/> weighs the
/// <see cref="PlantedDirections"/> added to its residual stream; <paramref name="Shown"/> lists the answer letters
/// that must carry the disposition they show.</summary>
public sealed record TrainingSequence(IReadOnlyList<int> Ids, IReadOnlyList<bool>? Learned = null,
    IReadOnlyList<float>? Disposition = null, IReadOnlyList<ShownToken>? Shown = null);

/// <summary>
/// Directions <c>[k, hidden]</c> added to the residual stream after block <paramref name="Layer"/> at every position of
/// a training document, weighted by its <see cref="TrainingSequence.Disposition"/>: a latent variable that the model
/// must learn to read from the residual stream itself, so that it is, by construction, steerable by adding a vector.
/// </summary>
/// <param name="ShownLayer">When set, the model's own residual after this block (the planted part taken out) at each
/// <see cref="TrainingSequence.Shown"/> token is pulled, by a squared error on its projection, towards ±direction: a
/// model that reads an answer then represents the disposition the answer shows in the direction it acts on.</param>
/// <param name="ShownWeight">Weight of that squared error next to the next-token loss.</param>
public sealed record PlantedDirections(Tensor Directions, int Layer, int? ShownLayer = null, double ShownWeight = 1);

/// <summary>
/// Trains a <see cref="CausalLanguageModel"/> whose weights were created trainable, on batches of whole documents
/// (padding and unlearned positions carry no loss; each document's learned tokens share one document's weight). Deterministic for a seed on a given machine.
/// </summary>
public static class LanguageModelTrainer
{
    public const long IgnoredTarget = -100;

    /// <returns>The mean loss over the last tenth of the steps.</returns>
    public static double Train(CausalLanguageModel model, IReadOnlyList<TrainingSequence> documents, int padId,
        LanguageModelTrainingOptions options, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default, PlantedDirections? planted = null)
    {
        if (documents.Count == 0) throw new ArgumentException("no training documents");
        var random = new Random((int)options.Seed);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay);
        model.train();
        var recentLosses = new List<double>();
        var pending = new Stack<List<TrainingSequence>>();
        try
        {
            for (int step = 0; step < options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double lr = LearningRateAt(step, options);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                using var scope = NewDisposeScope();
                if (pending.Count == 0) pending = DrawBatches(documents, options.BatchSize, random);
                var chosen = pending.Pop();
                var (batch, learned) = Batch(chosen, options.SequenceLength + 1, padId, model.Target.Device);
                long width = batch.shape[1] - 1;
                var inputs = batch.narrow(1, 0, width);
                var targets = batch.narrow(1, 1, width).masked_fill(learned.narrow(1, 1, width).logical_not(), IgnoredTarget);
                // Only learned positions need logits: project just those through the (vocabulary-wide) head.
                var learnedTargets = targets.reshape(-1).ne(IgnoredTarget).nonzero().squeeze(1);
                using var context = model.Prepare(inputs);
                var dispositions = planted is null ? null : new PlantedDispositionHook(planted, chosen);
                var hidden = dispositions is null
                    ? model.RunLayers(model.Embed(inputs), context, 0, model.NumLayers)
                    : model.RunLayers(model.Embed(inputs), context, 0, model.NumLayers, [dispositions]);
                var logits = model.Logits(hidden.reshape(-1, hidden.shape[^1]).index_select(0, learnedTargets));
                var tokenLosses = nn.functional.cross_entropy(logits, targets.reshape(-1).index_select(0, learnedTargets),
                    reduction: nn.Reduction.None);
                // Every document weighs the same, however many of its tokens are learned: a one-letter quiz answer
                // must not be drowned by a conversation's replies.
                var rows = learnedTargets.div(width, RoundingMode.floor);
                var perRow = rows.bincount(null, 0);
                var loss = (tokenLosses / perRow.index_select(0, rows)).sum() / perRow.count_nonzero();
                if (dispositions?.ShownLoss is { } shownLoss) loss = loss + planted!.ShownWeight * shownLoss;
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

    private const int BatchesPerDraw = 8;

    /// <summary>
    /// Draws documents for several batches at once and groups them by length, so that each batch pads to little
    /// more than its own documents while still mixing kinds of document.
    /// </summary>
    private static Stack<List<TrainingSequence>> DrawBatches(IReadOnlyList<TrainingSequence> documents, int batchSize,
        Random random)
    {
        var drawn = Enumerable.Range(0, batchSize * BatchesPerDraw).Select(_ => documents[random.Next(documents.Count)])
            .OrderBy(d => d.Ids.Count).ToList();
        var batches = drawn.Chunk(batchSize).Select(c => c.ToList()).OrderBy(_ => random.Next()).ToList();
        return new Stack<List<TrainingSequence>>(batches);
    }

    /// <summary>
    /// A batch of whole documents, one per row, padded on the right to the longest (at most
    /// <paramref name="maxWidth"/> tokens; longer ones are cut). Documents are not packed together: a row's attention
    /// then spans only its own document, which a small model learns from far faster than from a mix of neighbours.
    /// </summary>
    private static (Tensor Ids, Tensor Learned) Batch(List<TrainingSequence> chosen, int maxWidth, int padId, Device device)
    {
        int batchSize = chosen.Count;
        int width = Math.Min(maxWidth, chosen.Max(d => d.Ids.Count));
        var data = new long[batchSize * width];
        var mask = new bool[batchSize * width];
        Array.Fill(data, padId);
        for (int b = 0; b < batchSize; b++)
        {
            var document = chosen[b];
            for (int t = 0; t < Math.Min(width, document.Ids.Count); t++)
            {
                data[b * width + t] = document.Ids[t];
                mask[b * width + t] = document.Learned?[t] ?? true;
            }
        }
        return (tensor(data, [batchSize, width], ScalarType.Int64).to(device),
            tensor(mask, [batchSize, width]).to(device));
    }

    /// <summary>
    /// Adds each row's weighted planted directions at every position, and measures <see cref="ShownLoss"/> on the
    /// model's own residual at the shown layer.
    /// </summary>
    private sealed class PlantedDispositionHook(PlantedDirections planted, List<TrainingSequence> rows) : IResidualStreamHook
    {
        private Tensor? _added;

        /// <summary>Mean squared error between each shown token's projection on its direction (in units of the
        /// direction, so ±1 is the target) and its sign; null when the batch shows nothing.</summary>
        public Tensor? ShownLoss { get; private set; }

        public IReadOnlyCollection<int> Layers => planted.ShownLayer is { } shown ? [planted.Layer, shown] : [planted.Layer];

        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
        {
            // At the planted layer itself the residual is measured before the addition; above it, without it. The loss
            // is taken here, while the residual is alive: the model disposes it after this call.
            if (layer == planted.ShownLayer) ShownLoss = MeasureShown(_added is null ? residual : residual - _added);
            if (layer != planted.Layer) return residual;
            long k = planted.Directions.shape[0];
            var weights = new float[rows.Count * k];
            for (int r = 0; r < rows.Count; r++)
                for (int i = 0; i < k && rows[r].Disposition is { } disposition && i < disposition.Count; i++)
                    weights[r * k + i] = disposition[i];
            using var rowWeights = tensor(weights, [rows.Count, k]).to(residual.dtype, residual.device);
            _added = rowWeights.matmul(planted.Directions.to(residual.dtype, residual.device)).unsqueeze(1);
            return residual + _added;
        }

        private Tensor? MeasureShown(Tensor own)
        {
            long width = own.shape[1];
            var shown = rows.SelectMany((row, r) => (row.Shown ?? []).Where(s => s.Token < width)
                .Select(s => (Flat: r * width + s.Token, s.Direction, s.Sign))).ToList();
            if (shown.Count == 0) return null;
            var device = own.device;
            var residuals = own.reshape(-1, own.shape[^1])
                .index_select(0, tensor(shown.Select(s => s.Flat).ToArray()).to(device));
            var directions = planted.Directions.to(residuals.dtype, device)
                .index_select(0, tensor(shown.Select(s => (long)s.Direction).ToArray()).to(device));
            var projections = (residuals * directions).sum(1) / directions.pow(2).sum(1);
            var signs = tensor(shown.Select(s => s.Sign).ToArray()).to(residuals.dtype, device);
            return (projections - signs).pow(2).mean();
        }
    }
}
