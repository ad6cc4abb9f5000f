using static TorchSharp.torch;

namespace SasDashboard.Steering.Generation;

/// <summary>Picks next tokens on the device (no host round trip): argmax, or temperature + top-p sampling with its own seeded generator.</summary>
public sealed class TokenSampler : IDisposable
{
    private readonly SamplingOptions _options;
    private readonly Generator? _generator;

    public TokenSampler(SamplingOptions options, Device device)
    {
        if (options.TopP is <= 0 or > 1) throw new ArgumentException($"top-p must be in (0, 1], got {options.TopP}");
        if (options.Temperature < 0) throw new ArgumentException($"temperature must be ≥ 0, got {options.Temperature}");
        _options = options;
        if (!options.IsGreedy) _generator = new Generator((ulong)options.Seed, device);
    }

    /// <param name="logits"><c>[batch, vocab]</c></param>
    /// <returns>Chosen ids, <c>[batch]</c> int64.</returns>
    public Tensor Sample(Tensor logits)
    {
        using var scope = NewDisposeScope();
        if (_generator is null) return logits.argmax(-1).MoveToOuterDisposeScope();

        var probabilities = (logits.to(ScalarType.Float32) / _options.Temperature).softmax(-1);
        if (_options.TopP < 1)
        {
            var (sorted, order) = probabilities.sort(-1, descending: true);
            // Keep the smallest prefix whose mass reaches top-p: drop a token when the mass before it already does.
            var massBefore = sorted.cumsum(-1) - sorted;
            var keptSorted = sorted.masked_fill(massBefore >= _options.TopP, 0);
            probabilities = zeros_like(probabilities).scatter_(-1, order, keptSorted);
        }
        return multinomial(probabilities, 1, generator: _generator).squeeze(-1).MoveToOuterDisposeScope();
    }

    public void Dispose() => _generator?.Dispose();
}
