using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Tests.Datasets;

public sealed class PromptTextTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly MultipleChoiceItem Question =
        new(0, "abstract_algebra", "Find the order of 2 in Z_5.", ["1", "2", "4", "5"], 2);

    [Fact]
    public void MMLU_zero_shot_prompt_has_the_subject_header_options_and_ends_at_Answer()
    {
        Assert.Equal(
            "The following are multiple choice questions (with answers) about abstract algebra.\n\n" +
            "Find the order of 2 in Z_5.\nA. 1\nB. 2\nC. 4\nD. 5\nAnswer:",
            MmluPrompts.ZeroShot(Question));
    }

    [Fact]
    public void MMLU_few_shot_prompt_gives_each_example_its_answer_letter()
    {
        var example = new MultipleChoiceItem(0, "abstract_algebra", "Is Z_4 a field?", ["Yes", "No", "Maybe", "Only mod 2"], 1);

        Assert.Equal(
            "The following are multiple choice questions (with answers) about abstract algebra.\n\n" +
            "Is Z_4 a field?\nA. Yes\nB. No\nC. Maybe\nD. Only mod 2\nAnswer: B\n\n" +
            "Find the order of 2 in Z_5.\nA. 1\nB. 2\nC. 4\nD. 5\nAnswer:",
            MmluPrompts.FewShot(Question, [example]));
    }

    [Fact]
    public async Task MMLU_k_shot_prompt_takes_the_first_k_dev_items_of_the_subject()
    {
        _dir.Write("mmlu/dev/abstract_algebra_dev.csv", "Dev one?,a,b,c,d,A\nDev two?,a,b,c,d,D\nDev three?,a,b,c,d,C\n");
        _dir.Write("mmlu/test/abstract_algebra_test.csv", "Test?,a,b,c,d,B\n");
        var dataset = await MmluImporter.ImportAsync(Path.Combine(_dir.Root, "mmlu"), TestContext.Current.CancellationToken);
        var item = dataset.Items(MmluSplit.Test).Single();

        var prompt = MmluPrompts.KShot(dataset, item, 2);

        Assert.Contains("Dev one?\nA. a\nB. b\nC. c\nD. d\nAnswer: A\n\nDev two?", prompt);
        Assert.DoesNotContain("Dev three?", prompt);
        Assert.EndsWith("Answer: D\n\nTest?\nA. a\nB. b\nC. c\nD. d\nAnswer:", prompt);
        Assert.Throws<ArgumentException>(() => MmluPrompts.KShot(dataset, item, 5));
    }

    [Fact]
    public void MMLU_answers_are_the_letters_after_a_space()
    {
        Assert.Equal([" A", " B", " C", " D"], MmluPrompts.AnswerContinuations);
    }

    [Fact]
    public void TruthfulQA_scores_answers_as_continuations_of_a_QA_prompt()
    {
        var item = TruthfulQaItem.FromAnswers(0, "Why do veins appear blue?", "Health", "Blue light scatters", ["Blue light scatters"],
            ["The blood is blue"]);

        Assert.Equal("Q: Why do veins appear blue?\nA:", TruthfulQaPrompts.Question(item));
        Assert.Equal(" The blood is blue", TruthfulQaPrompts.AnswerContinuation(item.IncorrectAnswers[0]));
    }

    [Fact]
    public void AB_prompt_prefills_an_open_parenthesis_and_compares_the_two_answer_letters()
    {
        var item = new BehaviorItem(0, "Q?\n\nChoices:\n (A) Yes\n (B) No", 'B', 'A', [new('A', "Yes"), new('B', "No")]);

        Assert.Equal(new AbPrompt("Q?\n\nChoices:\n (A) Yes\n (B) No", "(", 'B', 'A'), AbPrompt.For(item));
    }
}
