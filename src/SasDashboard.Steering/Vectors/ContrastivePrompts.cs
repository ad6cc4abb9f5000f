using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Vectors;

/// <summary>One side of a contrastive pair as the model reads it, and which token holds the answer letter.</summary>
public sealed record LetterPrompt(IReadOnlyList<int> Ids, int LetterTokenIndex);

/// <summary>
/// Turns CAA A/B items into token sequences: the question in the model's prompt template, answered with "(X)", and
/// the index of the token that holds the letter X, found through character offsets (never a fixed offset, so any
/// tokenizer, whether it splits "(A)" or merges it, is handled).
/// </summary>
public static class ContrastivePrompts
{
    public static (LetterPrompt Positive, LetterPrompt Negative) For(BehaviorItem item, ModelTokenizer tokenizer,
        PromptTemplate template) =>
        (Answered(item.Question, item.MatchingLetter, tokenizer, template),
         Answered(item.Question, item.NotMatchingLetter, tokenizer, template));

    public static LetterPrompt Answered(string question, char letter, ModelTokenizer tokenizer, PromptTemplate template)
    {
        var text = template.Format(question, $"({letter})");
        int letterCharacter = text.LastIndexOf($"({letter})", StringComparison.Ordinal) + 1;
        var spans = tokenizer.EncodeWithOffsets(text);
        int tokenIndex = ModelTokenizer.TokenIndexAtCharacter(spans, letterCharacter);
        return new LetterPrompt(spans.Select(s => s.Id).ToArray(), tokenIndex);
    }
}
