using static TorchSharp.torch;

namespace SasDashboard.Steering.Vectors;

/// <summary>
/// Residual activations at the answer-letter token of each contrastive pair, per layer: row i of
/// <see cref="Positive"/> and of <see cref="Negative"/> come from the same question, answered with the behaviour-matching
/// and the non-matching letter. fp32 on the CPU, <c>[pairs, hidden]</c>.
/// </summary>
public sealed class ContrastiveActivations : IDisposable
{
    public required int Layer { get; init; }
    public required Tensor Positive { get; init; }
    public required Tensor Negative { get; init; }

    public int Pairs => (int)Positive.shape[0];
    public int HiddenSize => (int)Positive.shape[1];

    public void Dispose()
    {
        Positive.Dispose();
        Negative.Dispose();
    }
}
