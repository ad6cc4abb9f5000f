using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Evaluation;

/// <summary>A prompt's ids and the ids of a continuation whose likelihood is scored (an answer, a generated text).</summary>
public sealed record ContinuationPrompt(IReadOnlyList<int> PromptIds, IReadOnlyList<int> ContinuationIds)
{
    /// <summary>
    /// Tokenizes <paramref name="prompt"/> + <paramref name="continuation"/> as one text, so that the continuation is
    /// split into tokens as it would be in context. The continuation starts at the first token that reaches past the
    /// prompt's characters; a token that a tokenizer merges across the boundary counts as the continuation's.
    /// </summary>
    public static ContinuationPrompt For(ModelTokenizer tokenizer, string prompt, string continuation)
    {
        var spans = tokenizer.EncodeWithOffsets(prompt + continuation);
        int split = 0;
        while (split < spans.Count && spans[split].End <= prompt.Length) split++;
        if (split == spans.Count) throw new ArgumentException($"the continuation '{continuation}' has no tokens");
        if (split == 0) throw new ArgumentException("the prompt has no tokens of its own (and no BOS) to predict the continuation from");
        var ids = spans.Select(span => span.Id).ToArray();
        return new ContinuationPrompt(ids[..split], ids[split..]);
    }
}
