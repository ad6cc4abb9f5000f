using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// Settings shared by every benchmark of a sweep. <paramref name="BatchSize"/> is the number of rows per forward pass
/// (a λ-batched pass puts every λ of a prompt in the batch). <paramref name="Template"/> formats A/B, answer-pair and
/// open-ended prompts (null: the model's own); MMLU and TruthfulQA prompts are plain text, as in their original
/// evaluations. <paramref name="Sampling"/> picks open-ended tokens (null: greedy).
/// </summary>
public sealed record EvaluationOptions(int BatchSize = 16, PromptTemplate? Template = null, SamplingOptions? Sampling = null)
{
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be ≥ 1, is {BatchSize}");
    }
}
