using System.Diagnostics;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;

namespace SasDashboard.Cli.Benchmarks;

public sealed record LoadBenchmarkResult(string Model, string DType, double Seconds, long WeightBytes,
    long PeakResidentBytesBefore, long PeakResidentBytes, double PeakOverWeights);

/// <summary>Loads a checkpoint and compares the process's peak memory with the weights' size in the compute dtype.</summary>
public static class LoadBenchmark
{
    public static LoadBenchmarkResult Run(string modelDirectory, ComputeTarget target)
    {
        long before = Stopwatches.PeakResidentBytes();
        var watch = Stopwatch.StartNew();
        using var model = ModelLoader.Load(modelDirectory, target);
        double seconds = watch.Elapsed.TotalSeconds;
        long weights = model.NamedWeights().Sum(p => p.Weight.NumberOfElements * p.Weight.ElementSize);
        long peak = Stopwatches.PeakResidentBytes();
        return new LoadBenchmarkResult(modelDirectory, ComputeTarget.NameOf(target.DType), seconds, weights, before, peak,
            (double)peak / weights);
    }

    /// <summary>Writes a checkpoint of a published shape with random weights, stored in <paramref name="stored"/>.</summary>
    public static void WriteRandomCheckpoint(string shapeName, string directory, ComputeTarget stored)
    {
        var shape = ModelShapes.Get(shapeName);
        using var model = ModelLoader.Create(shape, new RandomWeightSource(0, stored.DType, stored.Device), stored);
        ModelCheckpointWriter.Save(model, directory);
    }
}
