namespace SasDashboard.Steering.Datasets;

/// <summary>
/// One two-answer question of CAA's <c>test/mmlu/mmlu.json</c> or <c>test/truthfulqa/truthful_qa.json</c>. The prompt
/// holds the lettered choices; <see cref="Correct"/> and <see cref="Incorrect"/> are the texts of the two answers.
/// <paramref name="Index"/> is the 0-based position in the file; <paramref name="Category"/> is the MMLU subject or
/// the TruthfulQA category.
/// </summary>
public sealed record AnswerPairItem(int Index, string Prompt, char CorrectLetter, char IncorrectLetter,
    IReadOnlyList<AnswerChoice> Choices, string Category)
{
    public string Correct => Choices.First(c => c.Letter == CorrectLetter).Text;
    public string Incorrect => Choices.First(c => c.Letter == IncorrectLetter).Text;
}
