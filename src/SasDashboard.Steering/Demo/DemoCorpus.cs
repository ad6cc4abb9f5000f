using System.Globalization;
using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Training;

namespace SasDashboard.Steering.Demo;

/// <summary>How the demo's training text is mixed.</summary>
/// <param name="Documents">Number of training documents.</param>
/// <param name="FactShare">Documents stating facts ("The color of Zorvim is blue.").</param>
/// <param name="QuestionAnswerShare">"Q: … A: …" documents (the TruthfulQA prompt form).</param>
/// <param name="QuizShare">MMLU-format quiz items with their answer letter.</param>
/// <param name="SignalledShare">Share of conversations whose dispositions are signalled (by hints, or by planted directions).</param>
/// <param name="PlantedDispositions">Signal dispositions by directions added to the residual stream
/// (<see cref="TrainingText.Disposition"/>) instead of by hints in the text, and mark every A/B answer letter with the
/// disposition it shows (<see cref="TrainingText.Shown"/>).</param>
/// <param name="MaxTurns">Most exchanges in one conversation (the rest of the documents).</param>
/// <param name="OpenEndedShare">Share of exchanges answered in free text instead of A/B.</param>
/// <param name="ChoiceReadingShare">Share of exchanges that only ask which choice says a given word: they teach reading
/// the choices, which the disposition-dependent answers need and cannot teach by themselves (their letter correlates
/// with neither the disposition nor the order of the choices alone, only with both).</param>
public sealed record DemoCorpusOptions(int Documents, double FactShare = 0.15, double QuestionAnswerShare = 0.15,
    double QuizShare = 0.4, double SignalledShare = 0.5, int MaxTurns = 2, double OpenEndedShare = 0.3,
    double ChoiceReadingShare = 0.3, bool PlantedDispositions = false)
{
    /// <summary>Conversations of choice-reading exchanges only: the first phase of the demo model's training.</summary>
    public static DemoCorpusOptions ReadingOnly(int documents) => new(documents, FactShare: 0, QuestionAnswerShare: 0,
        QuizShare: 0, SignalledShare: 0, OpenEndedShare: 0, ChoiceReadingShare: 1);

    /// <summary>
    /// The mix with planted dispositions: single-exchange conversations, mostly A/B, 70 % of them signalled (the rest
    /// keep the unsignalled prior even), and enough quizzes for the knowledge benchmark.
    /// </summary>
    public static DemoCorpusOptions Planted(int documents) => new(documents, FactShare: 0.05, QuestionAnswerShare: 0.05,
        QuizShare: 0.4, SignalledShare: 0.7, MaxTurns: 1, OpenEndedShare: 0.1, ChoiceReadingShare: 0.15,
        PlantedDispositions: true);

    /// <summary>Signalled conversations only, mostly A/B: a first phase that teaches reading the choices and acting
    /// on the planted dispositions before the knowledge-heavy mix.</summary>
    public static DemoCorpusOptions DispositionsFirst(int documents) => new(documents, FactShare: 0, QuestionAnswerShare: 0,
        QuizShare: 0, SignalledShare: 1, MaxTurns: 1, OpenEndedShare: 0, ChoiceReadingShare: 0.3, PlantedDispositions: true);
}

/// <summary>
/// Writes the demo's training documents. Conversations are between a user and an assistant whose dispositions (one
/// bit per <see cref="DemoBehavior"/>) are drawn per document; the assistant's answers follow them. Evaluation prompts
/// are single questions with neither persona lines nor earlier answers, so the model's prior is even and steering has
/// a direction to find.
/// </summary>
public sealed class DemoCorpus(SyntheticWorld world, PromptTemplate template)
{
    public IReadOnlyList<TrainingText> Documents(DemoCorpusOptions options, Random random)
    {
        var documents = new List<TrainingText>(options.Documents);
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

    private TrainingText Facts(Random random)
    {
        var entity = world.Entities[random.Next(world.Entities.Count)];
        var attributes = SyntheticWorld.Attributes.OrderBy(_ => random.Next()).Take(random.Next(1, 5));
        return new TrainingText(string.Join(" ", attributes.Select(a => $"The {a.Name} of {entity} is {world.Fact(entity, a).Value}.")));
    }

    /// <summary>"Q: … A: …" pairs; only the answers carry loss.</summary>
    private TrainingText QuestionsAndAnswers(Random random)
    {
        var text = new System.Text.StringBuilder();
        var learned = new List<(int, int)>();
        for (int i = random.Next(1, 4); i > 0; i--)
        {
            var fact = world.Facts[random.Next(world.Facts.Count)];
            if (text.Length > 0) text.Append("\n\n");
            text.Append(TruthfulQaPrompts.Question(QuestionFor(fact)));
            int start = text.Length;
            text.Append(TruthfulQaPrompts.AnswerContinuation(fact.Value));
            learned.Add((start, text.Length));
        }
        return new TrainingText(text.ToString(), learned);
    }

    /// <summary>The question text shared by the quiz, the Q/A form and the truthfulness benchmark.</summary>
    public static string QuestionFor(WorldFact fact) => $"What is the {fact.Attribute.Name} of {fact.Entity}?";

    private TrainingText Quiz(Random random)
    {
        var item = QuizItem(world.Facts[random.Next(world.Facts.Count)], 0);
        var prompt = MmluPrompts.ZeroShot(item);
        return new TrainingText($"{prompt} {item.CorrectLetter}", [(prompt.Length, prompt.Length + 2)]);
    }

    /// <summary>A knowledge question in MMLU's layout; the options are the attribute's four values in their fixed order.</summary>
    public static MultipleChoiceItem QuizItem(WorldFact fact, int index) =>
        new(index, fact.Attribute.Subject, QuestionFor(fact), fact.Attribute.Values, fact.ValueIndex);

    /// <summary>A conversation; only the assistant's answers carry loss.</summary>
    private TrainingText Conversation(DemoCorpusOptions options, Random random)
    {
        // The assistant's dispositions for this conversation: one bit per behaviour, followed by every answer.
        var disposition = DemoBehavior.All.ToDictionary(b => b, _ => random.Next(2) == 0);
        int turns = random.Next(1, options.MaxTurns + 1);
        // Several exchanges on the same behaviour let the model infer a disposition from earlier answers.
        var focus = DemoBehavior.All[random.Next(DemoBehavior.All.Count)];
        bool signalled = random.NextDouble() < options.SignalledShare;
        var exchanges = new List<(string User, string Assistant)>();
        var shown = new List<(int Exchange, int Behavior, bool Matches)>();
        for (int t = 0; t < turns; t++)
        {
            var behavior = random.NextDouble() < 0.7 ? focus : DemoBehavior.All[random.Next(DemoBehavior.All.Count)];
            var question = behavior.Sample(world, random);
            bool matches = disposition[behavior];
            // The hint stands after the choices, so the choices cannot be compared with it where they stand: the
            // model has to carry the disposition to the answer position and pick a choice from there — a direction in
            // the residual stream at the answer, which is what additive steering adds.
            string hint = signalled && !options.PlantedDispositions ? "\n\n" + behavior.Persona(matches) : "";
            double kind = random.NextDouble();
            if (kind < options.ChoiceReadingShare) exchanges.Add(ChoiceReading(question, random));
            else if (kind < options.ChoiceReadingShare + options.OpenEndedShare)
                exchanges.Add((question.Question + hint, matches ? question.MatchingReply : question.NotMatchingReply));
            else
            {
                shown.Add((exchanges.Count, DemoBehavior.IndexOf(behavior), matches));
                exchanges.Add(AbExchange(question, matches, hint, random));
            }
        }
        // Each prefix of the conversation renders as the start of the whole, so every answer's span is known.
        var learned = new List<(int Start, int End)>();
        string text = "";
        for (int i = 0; i < exchanges.Count; i++)
        {
            text = template.FormatConversation(exchanges[..i], exchanges[i].User, exchanges[i].Assistant);
            learned.Add((text.Length - exchanges[i].Assistant.Length, text.Length));
        }
        var planted = signalled && options.PlantedDispositions
            ? DemoBehavior.All.Select(b => disposition[b] ? 1f : -1f).ToArray()
            : null;
        // An A/B answer "(X) …" shows its disposition at the letter, one character into the answer.
        var shownLetters = options.PlantedDispositions && shown.Count > 0
            ? shown.Select(s => new ShownDisposition(learned[s.Exchange].Start + 1, s.Behavior, s.Matches ? 1f : -1f)).ToArray()
            : null;
        return new TrainingText(text, learned, planted, shownLetters);
    }

    /// <summary>
    /// "Which choice says …?" over the same choices, always asking for the behaviour's own word: the answer depends only
    /// on where that word stands, a signal a small model picks up at once.
    /// </summary>
    private static (string User, string Assistant) ChoiceReading(DemoQuestion question, Random random)
    {
        var item = AbItem(question, random.Next(2) == 0, 0);
        string choices = item.Question[item.Question.IndexOf("\n\nChoices:", StringComparison.Ordinal)..];
        return ($"Which choice says {question.Matching}?{choices}", $"({item.MatchingLetter}) {question.Matching}");
    }

    /// <summary>
    /// The question with CAA-style choices in a random order, answered "(X) reply": the reply shows the disposition
    /// whichever letter carries it, so at the answer letter the model must know which disposition it is showing —
    /// the feature CAA and SAS read there.
    /// </summary>
    private static (string User, string Assistant) AbExchange(DemoQuestion question, bool matching, string hint,
        Random random)
    {
        var item = AbItem(question, random.Next(2) == 0, 0);
        return matching
            ? (item.Question + hint, $"({item.MatchingLetter}) {question.MatchingReply}")
            : (item.Question + hint, $"({item.NotMatchingLetter}) {question.NotMatchingReply}");
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
