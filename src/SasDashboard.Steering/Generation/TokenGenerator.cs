using SasDashboard.Steering.Models;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Generation;

/// <summary>
/// Batched, KV-cached generation over token ids. Prompts are left-padded so that every row's next token sits in the
/// last column; tokens stay on the device until the end, and "all rows finished" is checked only every few steps.
/// </summary>
public static class TokenGenerator
{
    private const int FinishedCheckInterval = 4;

    public static IReadOnlyList<GeneratedSequence> Generate(CausalLanguageModel model,
        IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlyList<int> eosIds, int padId,
        IReadOnlyList<IResidualStreamHook>? hooks = null, IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (BOS counts)");
        if (options.MaxNewTokens < 1) throw new ArgumentException($"max new tokens must be ≥ 1, got {options.MaxNewTokens}");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = model.Target.Device;
        int batch = prompts.Count, promptLength = prompts.Max(p => p.Count), maxNew = options.MaxNewTokens;

        var (inputIds, mask) = LeftPad(prompts, promptLength, maxNew, padId, device);
        using var cache = new KvCache(model.Config, batch, promptLength + maxNew, model.Target.DType, device);
        using var sampler = new TokenSampler(options.Sampler, device);
        var eos = tensor(eosIds.Select(id => (long)id).ToArray(), ScalarType.Int64, device);
        var generated = full(batch, maxNew, (long)padId, ScalarType.Int64, device);
        var finished = zeros(batch, ScalarType.Bool, device);

        var logits = model.Forward(inputIds, mask.narrow(1, 0, promptLength), cache, hooks, lastTokenOnly: true,
            promptLength: promptLength);
        int steps = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = sampler.Sample(logits.select(1, 0)).where(finished.logical_not(), (long)padId);
            generated.select(1, steps).copy_(next);
            if (options.StopAtEos && eosIds.Count > 0)
                finished = finished.logical_or((next.unsqueeze(1) == eos.unsqueeze(0)).any(1));
            steps++;
            progress?.Report(new GenerationProgress(steps, maxNew));
            if (steps == maxNew) break;
            if (options.StopAtEos && steps % FinishedCheckInterval == 0 && finished.all().item<bool>()) break;

            var step = next.unsqueeze(1);
            var previous = logits;
            logits = model.Forward(step, mask.narrow(1, 0, promptLength + steps), cache, hooks, lastTokenOnly: true,
                promptLength: promptLength);
            previous.Dispose();
        }

        var rows = generated.narrow(1, 0, steps).cpu().data<long>().ToArray();
        var eosSet = eosIds.ToHashSet();
        var results = new GeneratedSequence[batch];
        for (int b = 0; b < batch; b++)
        {
            var ids = new List<int>();
            bool stopped = false;
            for (int t = 0; t < steps; t++)
            {
                int id = (int)rows[b * steps + t];
                ids.Add(id);
                if (options.StopAtEos && eosSet.Contains(id)) { stopped = true; break; }
            }
            results[b] = new GeneratedSequence(prompts[b], ids, stopped);
        }
        return results;
    }

    /// <summary>Ids <c>[batch, promptLength]</c> padded on the left, and a mask over prompt and future tokens.</summary>
    internal static (Tensor InputIds, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, int promptLength,
        int extraColumns, int padId, Device device)
    {
        int batch = prompts.Count, width = promptLength + extraColumns;
        var ids = new long[batch * promptLength];
        var mask = new long[batch * width];
        for (int b = 0; b < batch; b++)
        {
            int offset = promptLength - prompts[b].Count;
            for (int t = 0; t < promptLength; t++)
                ids[b * promptLength + t] = t < offset ? padId : prompts[b][t - offset];
            for (int t = offset; t < width; t++) mask[b * width + t] = 1;
        }
        return (tensor(ids, [batch, promptLength], ScalarType.Int64).to(device),
            tensor(mask, [batch, width], ScalarType.Int64).to(device));
    }
}
