using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>Imports a benchmark's dataset and prepares the evaluation that fits its format.</summary>
internal static class BenchmarkPreparation
{
    public static async Task<IPreparedBenchmark> PrepareAsync(BenchmarkSpec spec, BenchmarkContext context,
        CancellationToken cancellationToken)
    {
        spec.Validate();
        var dataset = await DatasetImporter.ImportAsync(spec.Kind, spec.Dataset, cancellationToken).ConfigureAwait(false);
        if (spec.Shots > 0 && dataset is not MmluDataset)
            throw new ArgumentException($"{spec.Dataset}: {spec.Shots}-shot prompts need the MMLU CSV release's dev examples");
        IPreparedBenchmark prepared = dataset switch
        {
            BehaviorDataset behaviors => PairedAnswerBenchmark.ForBehaviors(context, behaviors, spec.Limit),
            AnswerPairDataset pairs => PairedAnswerBenchmark.ForAnswerPairs(context, pairs, spec.Limit),
            MmluDataset mmlu => new MmluBenchmark(context, mmlu, spec.Shots, spec.Limit),
            TruthfulQaDataset truthfulQa => new TruthfulQaBenchmark(context, truthfulQa, spec.Limit),
            OpenEndedDataset openEnded => new OpenEndedBenchmark(context, openEnded, spec.MaxNewTokens, spec.Limit),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), dataset.GetType().Name, "no evaluation for this dataset"),
        };
        if (prepared.ItemCount == 0) throw new DatasetFormatException(spec.Dataset, "the dataset has no items to evaluate");
        return prepared;
    }
}
