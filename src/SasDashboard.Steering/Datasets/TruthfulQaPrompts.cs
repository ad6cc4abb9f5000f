namespace SasDashboard.Steering.Datasets;

/// <summary>
/// TruthfulQA answer-likelihood text: each candidate answer is scored as the continuation " {answer}" of the prompt
/// "Q: {question}\nA:" (the sum of its tokens' log-probabilities). Zero-shot: the original evaluation's six-question
/// "QA primer" is not prepended, so absolute MC1/MC2 numbers sit below published ones; comparisons between
/// steering settings are unaffected.
/// </summary>
public static class TruthfulQaPrompts
{
    public static string Question(TruthfulQaItem item) => Question(item.Question);

    public static string Question(string question) => $"Q: {question}\nA:";

    public static string AnswerContinuation(string answer) => $" {answer}";
}
