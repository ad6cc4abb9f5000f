namespace SasDashboard.Steering.Datasets;

/// <summary>
/// The text of a CAA-style A/B evaluation: <paramref name="UserMessage"/> is the question with its choices, and the
/// assistant's reply is prefilled with <paramref name="AssistantPrefix"/> ("(") so that the next token is the answer
/// letter; the metric compares the probabilities of <paramref name="PositiveLetter"/> (matching / correct) and
/// <paramref name="NegativeLetter"/> (not matching / incorrect). The chat template is applied by the tokenizer.
/// </summary>
public sealed record AbPrompt(string UserMessage, string AssistantPrefix, char PositiveLetter, char NegativeLetter)
{
    public const string AnswerPrefix = "(";

    public static AbPrompt For(BehaviorItem item) =>
        new(item.Question, AnswerPrefix, item.MatchingLetter, item.NotMatchingLetter);

    public static AbPrompt For(AnswerPairItem item) =>
        new(item.Prompt, AnswerPrefix, item.CorrectLetter, item.IncorrectLetter);
}
