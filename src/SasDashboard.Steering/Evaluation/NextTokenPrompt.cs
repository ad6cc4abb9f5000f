using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Evaluation;

/// <summary>Ids that end right before an answer, and the token each candidate answer starts with.</summary>
public sealed record NextTokenPrompt(IReadOnlyList<int> Ids, IReadOnlyList<int> CandidateIds)
{
    /// <summary>
    /// Tokenizes <paramref name="text"/> followed by each continuation and finds the first token where the
    /// continuations part: everything before it is the prompt, and the tokens there are the candidates. Usually that
    /// is the continuation's own first token (" A" after "Answer:"); a space that a tokenizer keeps as a token of its
    /// own ("▁" then "A") joins the prompt, and a tokenizer that merges the answer with the end of the text ("(A" as
    /// one token) moves the split before the merged token.
    /// </summary>
    public static NextTokenPrompt For(ModelTokenizer tokenizer, string text, IReadOnlyList<string> continuations)
    {
        if (continuations.Count < 2) throw new ArgumentException("at least two continuations are needed to compare");
        var extended = continuations.Select(c => tokenizer.Encode(text + c)).ToList();
        int split = 0;
        while (extended.All(e => split < e.Count) && extended.All(e => e[split] == extended[0][split])) split++;
        if (extended.Any(e => split >= e.Count))
            throw new ArgumentException(
                $"the continuations {string.Join(", ", continuations.Select(c => $"'{c}'"))} do not differ in their tokens");
        var candidates = extended.Select(e => e[split]).ToList();
        if (candidates.Distinct().Count() != candidates.Count)
            throw new ArgumentException(
                $"the continuations {string.Join(", ", continuations.Select(c => $"'{c}'"))} part at different tokens; they cannot be compared as next tokens");
        return new NextTokenPrompt(extended[0].Take(split).ToArray(), candidates);
    }

    /// <summary>
    /// A CAA-style A/B question in <paramref name="template"/>, the answer prefilled up to the letter: the candidates are
    /// the positive (matching / correct) letter, then the negative one.
    /// </summary>
    public static NextTokenPrompt For(ModelTokenizer tokenizer, PromptTemplate template, AbPrompt prompt) =>
        For(tokenizer, template.Format(prompt.UserMessage, prompt.AssistantPrefix),
            [prompt.PositiveLetter.ToString(), prompt.NegativeLetter.ToString()]);
}
