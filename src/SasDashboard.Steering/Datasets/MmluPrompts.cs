namespace SasDashboard.Steering.Datasets;

/// <summary>
/// MMLU prompts in the format of the original evaluation (Hendrycks et al.): a subject header, then for each dev
/// example the question, options "A. …" to "D. …", "Answer:" and " {letter}\n\n", then the question asked, ending at
/// "Answer:". The model's answer is its next token, compared over <see cref="AnswerContinuations"/>.
/// </summary>
public static class MmluPrompts
{
    /// <summary>The continuations scored after "Answer:", in option order.</summary>
    public static IReadOnlyList<string> AnswerContinuations { get; } = [" A", " B", " C", " D"];

    public static string ZeroShot(MultipleChoiceItem item) => FewShot(item, []);

    public static string FewShot(MultipleChoiceItem item, IReadOnlyList<MultipleChoiceItem> examples) =>
        $"The following are multiple choice questions (with answers) about {item.Subject.Replace('_', ' ')}.\n\n"
        + string.Concat(examples.Select(example => $"{Question(example)} {example.CorrectLetter}\n\n"))
        + Question(item);

    /// <summary>The standard k-shot prompt: the first <paramref name="k"/> dev items of the item's subject as examples.</summary>
    public static string KShot(MmluDataset dataset, MultipleChoiceItem item, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var dev = dataset.Items(MmluSplit.Dev, item.Subject);
        if (dev.Count < k)
            throw new ArgumentException($"{k}-shot needs {k} dev items for '{item.Subject}', the dataset has {dev.Count}", nameof(k));
        return FewShot(item, dev.Take(k).ToList());
    }

    private static string Question(MultipleChoiceItem item) =>
        item.Question
        + string.Concat(item.Options.Select((option, i) => $"\n{(char)('A' + i)}. {option}"))
        + "\nAnswer:";
}
