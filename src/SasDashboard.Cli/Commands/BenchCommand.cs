using System.CommandLine;
using SasDashboard.Cli.Benchmarks;
using SasDashboard.Steering.Runtime;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas bench …</c>: measured speed and memory of the engine (benchmarks, not tests).</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks: engine speed and memory on this machine.")
    {
        Runtime(),
        Load(),
        WriteCheckpoint(),
    };

    private static Command Runtime()
    {
        var shape = new Option<string>("--shape") { Description = "Model shape: " + string.Join(", ", ModelShapes.ByName.Keys), DefaultValueFactory = _ => "gemma2-2b" };
        var dtypes = new Option<string>("--dtypes") { Description = "Comma-separated compute dtypes.", DefaultValueFactory = _ => "f32,bf16" };
        var prompt = new Option<int>("--prompt-tokens") { DefaultValueFactory = _ => 128 };
        var decode = new Option<int>("--decode-tokens") { DefaultValueFactory = _ => 16 };
        var device = CommonOptions.Device();
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

    private static Command Load()
    {
        var model = CommonOptions.Model();
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
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
