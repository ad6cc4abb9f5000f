using System.Globalization;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Demo;

/// <summary>How the demo's training text is mixed.</summary>
/// <param name="Documents">Number of training documents.</param>
/// <param name="FactShare">Documents stating facts ("The color of Zorvim is blue.").</param>
/// <param name="QuestionAnswerShare">"Q: … A: …" documents (the TruthfulQA prompt form).</param>
/// <param name="QuizShare">MMLU-format quiz items with their answer letter.</param>
/// <param name="PersonaLineProbability">Chance that a conversation opens with lines stating the assistant's dispositions.</param>
/// <param name="MaxTurns">Most exchanges in one conversation (the rest of the documents).</param>
/// <param name="OpenEndedShare">Share of exchanges answered in free text instead of A/B.</param>
public sealed record DemoCorpusOptions(int Documents, double FactShare = 0.1, double QuestionAnswerShare = 0.1,
    double QuizShare = 0.2, double PersonaLineProbability = 0.5, int MaxTurns = 3, double OpenEndedShare = 0.3);

/// <summary>
/// Writes the demo's training documents. Conversations are between a user and an assistant whose dispositions (one
/// bit per <see cref="DemoBehavior"/>) are drawn per document; the assistant's answers follow them. Evaluation prompts
/// are single questions with neither persona lines nor earlier answers, so the model's prior is even and steering has
/// a direction to find.
/// </summary>
public sealed class DemoCorpus(SyntheticWorld world, PromptTemplate template)
{
    public IReadOnlyList<string> Documents(DemoCorpusOptions options, Random random)
    {
        var documents = new List<string>(options.Documents);
        for (int i = 0; i < options.Documents; i++)
        {
            double u = random.NextDouble();
            documents.Add(u < options.FactShare ? Facts(random)
                : u < options.FactShare + options.QuestionAnswerShare ? QuestionsAndAnswers(random)
                : u < options.FactShare + options.QuestionAnswerShare + options.QuizShare ? Quiz(random)
                : Conversation(options, random));
        }
        return documents;
    }

    private string Facts(Random random)
    {
        var entity = world.Entities[random.Next(world.Entities.Count)];
        var attributes = SyntheticWorld.Attributes.OrderBy(_ => random.Next()).Take(random.Next(1, 5));
        return string.Join(" ", attributes.Select(a => $"The {a.Name} of {entity} is {world.Fact(entity, a).Value}."));
    }

    private string QuestionsAndAnswers(Random random) => string.Join("\n\n", Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
    {
        var fact = world.Facts[random.Next(world.Facts.Count)];
        return TruthfulQaPrompts.Question(QuestionFor(fact)) + TruthfulQaPrompts.AnswerContinuation(fact.Value);
    }));

    /// <summary>The question text shared by the quiz, the Q/A form and the truthfulness benchmark.</summary>
    public static string QuestionFor(WorldFact fact) => $"What is the {fact.Attribute.Name} of {fact.Entity}?";

    private string Quiz(Random random)
    {
        var item = QuizItem(world.Facts[random.Next(world.Facts.Count)], 0);
        return $"{MmluPrompts.ZeroShot(item)} {item.CorrectLetter}";
    }

    /// <summary>A knowledge question in MMLU's layout; the options are the attribute's four values in their fixed order.</summary>
    public static MultipleChoiceItem QuizItem(WorldFact fact, int index) =>
        new(index, fact.Attribute.Subject, QuestionFor(fact), fact.Attribute.Values, fact.ValueIndex);

    private string Conversation(DemoCorpusOptions options, Random random)
    {
        var matching = DemoBehavior.All.ToDictionary(b => b, _ => random.Next(2) == 0);
        int turns = random.Next(1, options.MaxTurns + 1);
        // Several exchanges on the same behaviour let the model infer a disposition from earlier answers.
        var focus = DemoBehavior.All[random.Next(DemoBehavior.All.Count)];
        var exchanges = new List<(string User, string Assistant)>();
        var shown = new HashSet<DemoBehavior>();
        for (int t = 0; t < turns; t++)
        {
            var behavior = random.NextDouble() < 0.7 ? focus : DemoBehavior.All[random.Next(DemoBehavior.All.Count)];
            shown.Add(behavior);
            var question = behavior.Sample(world, random);
            exchanges.Add(random.NextDouble() < options.OpenEndedShare
                ? (question.Question, matching[behavior] ? question.MatchingReply : question.NotMatchingReply)
                : AbExchange(question, matching[behavior], random));
        }
        string persona = random.NextDouble() < options.PersonaLineProbability
            ? string.Concat(shown.Select(b => (matching[b] ? b.MatchingPersona : b.NotMatchingPersona) + "\n"))
            : "";
        var (lastUser, lastAnswer) = exchanges[^1];
        return persona + template.FormatConversation(exchanges[..^1], lastUser, lastAnswer) + "<end_of_turn>\n";
    }

    /// <summary>The question with CAA-style choices in a random order, answered "(X)".</summary>
    private static (string User, string Assistant) AbExchange(DemoQuestion question, bool matching, Random random)
    {
        var item = AbItem(question, random.Next(2) == 0, 0);
        char letter = matching ? item.MatchingLetter : item.NotMatchingLetter;
        return (item.Question, $"({letter})");
    }

    /// <summary>A CAA A/B item: the question, then "Choices:" with " (A) …" and " (B) …".</summary>
    public static BehaviorItem AbItem(DemoQuestion question, bool matchingFirst, int index)
    {
        var (a, b) = matchingFirst ? (question.Matching, question.NotMatching) : (question.NotMatching, question.Matching);
        var text = $"{question.Question}\n\nChoices:\n (A) {a}\n (B) {b}";
        return new BehaviorItem(index, text, matchingFirst ? 'A' : 'B', matchingFirst ? 'B' : 'A',
            [new AnswerChoice('A', a), new AnswerChoice('B', b)]);
    }

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
