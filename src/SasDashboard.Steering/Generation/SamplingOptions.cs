namespace SasDashboard.Steering.Generation;

/// <summary>How the next token is chosen: greedy when <see cref="Temperature"/> is 0, else sampled from the
/// temperature-scaled distribution restricted to its top-p nucleus, reproducibly for a given <see cref="Seed"/>.</summary>
public sealed record SamplingOptions(double Temperature = 0, double TopP = 1, long Seed = 0)
{
    public bool IsGreedy => Temperature <= 0;
}

/// <summary>Options of one generation call.</summary>
public sealed record GenerationOptions(int MaxNewTokens = 64, SamplingOptions? Sampling = null, bool StopAtEos = true)
{
    public SamplingOptions Sampler => Sampling ?? new SamplingOptions();
}

/// <summary>One prompt's result: the prompt's ids and the new tokens only (ending with the EOS token when it stopped there).</summary>
public sealed record GeneratedSequence(IReadOnlyList<int> PromptIds, IReadOnlyList<int> GeneratedIds, bool StoppedAtEos);

/// <summary>Reported after every decoding step.</summary>
public sealed record GenerationProgress(int TokensGenerated, int MaxNewTokens);
