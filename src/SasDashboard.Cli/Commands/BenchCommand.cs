using System.CommandLine;
using SasDashboard.Cli.Benchmarks;
using SasDashboard.Cli.Configuration;
using SasDashboard.Steering.Runtime;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas bench …</c>: measured speed and memory of the engine (benchmarks, not tests).</summary>
public static class BenchCommand
{
    public static Command Create(EngineOptions engine) => new("bench", "Benchmarks: engine speed and memory on this machine.")
    {
        Runtime(engine),
        Load(engine),
        WriteCheckpoint(),
        Sweep(engine),
        Steering(engine),
    };

    private static Command Steering(EngineOptions engine)
    {
        var shape = new Option<string>("--shape") { Description = "Model shape: " + string.Join(", ", ModelShapes.ByName.Keys), DefaultValueFactory = _ => "gemma2-2b" };
        var widths = new Option<string>("--widths") { Description = "Comma-separated SAE widths.", DefaultValueFactory = _ => "16384,65536,262144" };
        var support = new Option<int>("--l0") { Description = "Features in the SAS vector.", DefaultValueFactory = _ => 40 };
        var prompt = new Option<int>("--prompt-tokens") { DefaultValueFactory = _ => 16 };
        var decode = new Option<int>("--decode-tokens") { DefaultValueFactory = _ => 8 };
        var repeats = new Option<int>("--repeats") { Description = "Interleaved runs per way of decoding; medians are reported.", DefaultValueFactory = _ => 3 };
        var layer = new Option<int?>("--layer") { Description = "Steered layer (default: the middle one, layers/2 − 1)." };
        var device = CommonOptions.Device(engine);
        var dtype = CommonOptions.DType(engine);
        var json = CommonOptions.Json();
        var command = new Command("steering",
            "Decode speed with a SAS vector at several SAE widths: unsteered, the engine's support-only edit, and the full-width formula.")
        {
            shape, widths, support, prompt, decode, repeats, layer, device, dtype, json,
        };
        command.SetAction(async (result, output, ct) =>
        {
            var log = result.GetValue(json) ? TextWriter.Null : output;
            var options = new SteeringBenchmarkOptions(result.GetValue(shape)!,
                result.GetValue(widths)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList(),
                result.GetValue(support), result.GetValue(prompt), result.GetValue(decode), result.GetValue(repeats), result.GetValue(layer));
            var report = await Task.Run(() => SteeringBenchmark.Run(options, CommonOptions.Target(result, device, dtype), log, ct), ct);
            if (result.GetValue(json)) await output.WriteJsonAsync(report);
        });
        return command;
    }

    private static Command Sweep(EngineOptions engine)
    {
        var shape = new Option<string>("--shape")
        {
            Description = "Random-weight model shape (when no --model): " + string.Join(", ", ModelShapes.ByName.Keys),
            DefaultValueFactory = _ => "gemma2-2b",
        };
        var model = new Option<string?>("--model") { Description = "A checkpoint instead of random weights (e.g. the demo model)." };
        var dataset = new Option<string?>("--dataset") { Description = "With --model: a CAA A/B file whose prompts to score (default: random ids)." };
        var vector = new Option<string?>("--steer") { Description = "A steering vector file (default: a random dense vector)." };
        var points = new Option<int>("--points") { Description = "λ values in the sweep.", DefaultValueFactory = _ => 9 };
        var items = new Option<int>("--items") { Description = "Prompts scored at every λ.", DefaultValueFactory = _ => 9 };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Length of the random prompts.", DefaultValueFactory = _ => 32 };
        var layer = new Option<int?>("--layer") { Description = "Steered layer (default: the middle one, layers/2 − 1)." };
        var batch = new Option<int?>("--batch-size") { Description = "Rows per forward pass (default: --points, the same on both sides)." };
        var device = CommonOptions.Device(engine);
        var dtype = CommonOptions.DType(engine);
        var json = CommonOptions.Json();
        var command = new Command("sweep", "Time a λ-batched K-point sweep against K separate evaluations of A/B prompts.")
        {
            shape, model, dataset, vector, points, items, promptTokens, layer, batch, device, dtype, json,
        };
        command.SetAction(async (result, output, ct) =>
        {
            var log = result.GetValue(json) ? TextWriter.Null : output;
            var options = new SweepBenchmarkOptions(result.GetValue(shape)!, result.GetValue(model), result.GetValue(dataset),
                result.GetValue(vector), result.GetValue(points), result.GetValue(items), result.GetValue(promptTokens),
                result.GetValue(layer), result.GetValue(batch) ?? result.GetValue(points));
            var report = await Task.Run(() => SweepBenchmark.RunAsync(options, CommonOptions.Target(result, device, dtype), log, ct), ct);
            if (result.GetValue(json)) await output.WriteJsonAsync(report);
        });
        return command;
    }

    private static Command Runtime(EngineOptions engine)
    {
        var shape = new Option<string>("--shape") { Description = "Model shape: " + string.Join(", ", ModelShapes.ByName.Keys), DefaultValueFactory = _ => "gemma2-2b" };
        var dtypes = new Option<string>("--dtypes") { Description = "Comma-separated compute dtypes.", DefaultValueFactory = _ => "f32,bf16" };
        var prompt = new Option<int>("--prompt-tokens") { DefaultValueFactory = _ => 128 };
        var decode = new Option<int>("--decode-tokens") { DefaultValueFactory = _ => 16 };
        var device = CommonOptions.Device(engine);
        var json = CommonOptions.Json();
        var command = new Command("runtime", "Prefill and decode tokens/s of a random-weight model next to matmul FLOP/s.")
        {
            shape, dtypes, prompt, decode, device, json,
        };
        command.SetAction(async (result, output, ct) =>
        {
            var log = result.GetValue(json) ? TextWriter.Null : output;
            var report = await Task.Run(() => RuntimeBenchmark.Run(result.GetValue(shape)!, result.GetValue(device)!,
                result.GetValue(dtypes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                result.GetValue(prompt), result.GetValue(decode), log, ct), ct);
            if (result.GetValue(json)) await output.WriteJsonAsync(report);
        });
        return command;
    }

    private static Command Load(EngineOptions engine)
    {
        var model = CommonOptions.Model();
        var device = CommonOptions.Device(engine);
        var dtype = CommonOptions.DType(engine);
        var json = CommonOptions.Json();
        var command = new Command("load", "Load a checkpoint; report time and peak memory against the weights' size.")
        {
            model, device, dtype, json,
        };
        command.SetAction(async (result, output, _) =>
        {
            var report = LoadBenchmark.Run(result.GetValue(model)!, CommonOptions.Target(result, device, dtype));
            if (result.GetValue(json)) await output.WriteJsonAsync(report);
            else
                await output.WriteLineAsync($"loaded in {report.Seconds:F1} s; weights {report.WeightBytes / 1e9:F2} GB; " +
                                            $"peak RSS {report.PeakResidentBytes / 1e9:F2} GB = {report.PeakOverWeights:F2}× the weights");
        });
        return command;
    }

    private static Command WriteCheckpoint()
    {
        var shape = new Option<string>("--shape") { DefaultValueFactory = _ => "gemma2-2b" };
        var output = new Option<string>("--out") { Required = true };
        var stored = new Option<string>("--stored-dtype") { DefaultValueFactory = _ => "bf16" };
        var command = new Command("write-checkpoint", "Write a random-weight checkpoint of a published shape (input for 'bench load').")
        {
            shape, output, stored,
        };
        command.SetAction(async (result, writer, _) =>
        {
            LoadBenchmark.WriteRandomCheckpoint(result.GetValue(shape)!, result.GetValue(output)!,
                ComputeTarget.Parse("cpu", result.GetValue(stored)!));
            await writer.WriteLineAsync($"wrote {result.GetValue(output)}");
        });
        return command;
    }
}
