using System.Globalization;
using SasDashboard.Steering.Evaluation.Benchmarks;
using SasDashboard.Steering.Evaluation.Judging;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Evaluation.Sweeps;

/// <summary>
/// Runs a sweep's points on one model. Per benchmark, the dataset is imported and tokenized once; the unsteered points
/// (no terms, or λ = 0) share one unsteered evaluation; the points of each setup that differ only in λ run together
/// in λ-batched passes (up to <see cref="EvaluationOptions.BatchSize"/> λ values per pass), so blocks below the steered
/// layer run once for all of them. Each point is handed to the caller as soon as its group is done; points whose key
/// is already stored are skipped, so a sweep resumes where it stopped. Cancellation is honoured between batches.
/// The model is used from one thread at a time: run one sweep per model at once.
/// </summary>
public sealed class SweepRunner
{
    private readonly BenchmarkContext _context;
    private readonly SteeringLibrary _steering;

    /// <param name="judge">Scores open-ended answers; null records texts and perplexities only.</param>
    public SweepRunner(CausalLanguageModel model, ModelTokenizer tokenizer, SteeringLibrary steering,
        EvaluationOptions? options = null, IJudge? judge = null)
    {
        options ??= new EvaluationOptions();
        options.Validate();
        _context = new BenchmarkContext(model, tokenizer, options, judge);
        _steering = steering;
    }

    /// <summary>Runs every point of <paramref name="plan"/> and returns their results in completion order.</summary>
    public async Task<IReadOnlyList<PointResult>> RunAsync(SweepPlan plan, CancellationToken cancellationToken)
    {
        var results = new List<PointResult>();
        await RunAsync(plan, new HashSet<string>(), (result, _) =>
        {
            results.Add(result);
            return Task.CompletedTask;
        }, null, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <param name="completedKeys">Keys of points already stored (<see cref="SweepPoint.Key"/>); they are not run again.</param>
    /// <param name="onPointCompleted">Receives each point's result as soon as it exists (e.g. to store it).</param>
    public async Task RunAsync(SweepPlan plan, IReadOnlySet<string> completedKeys,
        Func<PointResult, CancellationToken, Task> onPointCompleted, IProgress<SweepProgress>? progress,
        CancellationToken cancellationToken)
    {
        var points = plan.Points();
        var pending = points.Where(point => !completedKeys.Contains(point.Key)).ToList();
        int completed = points.Count - pending.Count;
        void Report(string activity, ScoringProgress? stage = null) =>
            progress?.Report(new SweepProgress(completed, points.Count, activity, stage));
        IProgress<ScoringProgress>? StageProgress(string activity) =>
            progress is null ? null : new Relay<ScoringProgress>(stage => Report(activity, stage));

        // Read every vector and SAE before the first long computation, so a bad file fails the sweep at once.
        var applied = pending.Select(point => point.Setup).DistinctBy(setup => setup.Key)
            .ToDictionary(setup => setup.Key, setup => _steering.Describe(setup));

        foreach (var benchmarkPoints in pending.GroupBy(point => point.Benchmark.Key))
        {
            var spec = benchmarkPoints.First().Benchmark;
            Report($"{spec.Key}: preparing");
            var benchmark = await BenchmarkPreparation.PrepareAsync(spec, _context, cancellationToken).ConfigureAwait(false);

            async Task EmitAsync(SweepPoint point, BenchmarkScore score)
            {
                await onPointCompleted(new PointResult(point, benchmark.DatasetHash, applied[point.Setup.Key], score.Aggregate,
                    score.Items), cancellationToken).ConfigureAwait(false);
                completed++;
                Report($"{point.Key}: done");
            }

            var unsteered = benchmarkPoints.Where(point => point.IsUnsteered).ToList();
            if (unsteered.Count > 0)
            {
                string activity = $"{spec.Key}: unsteered";
                var score = (await benchmark.ScoreAsync(null, [0.0], StageProgress(activity), cancellationToken).ConfigureAwait(false))[0];
                foreach (var point in unsteered) await EmitAsync(point, score).ConfigureAwait(false);
            }

            foreach (var setupPoints in benchmarkPoints.Where(point => !point.IsUnsteered).GroupBy(point => point.Setup.Key))
            {
                using var hook = _steering.CreateHook(setupPoints.First().Setup)!;
                foreach (var group in setupPoints.Chunk(_context.Options.BatchSize))
                {
                    var lambdas = group.Select(point => point.Lambda).ToList();
                    string activity = $"{spec.Key}|{setupPoints.Key}: λ ∈ {{{string.Join(", ", lambdas.Select(l => l.ToString(CultureInfo.InvariantCulture)))}}}";
                    var scores = await benchmark.ScoreAsync(hook, lambdas, StageProgress(activity), cancellationToken).ConfigureAwait(false);
                    for (int i = 0; i < group.Length; i++) await EmitAsync(group[i], scores[i]).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Reports synchronously, in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
