using SasDashboard.Steering.Demo;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Tests.Demo;

public sealed class DemoCorpusTests
{
    private static readonly SyntheticWorld World = new(8, 4, seed: 3);

    [Fact]
    public void PlantedDispositionsSignalHalfTheConversationsOutsideTheText()
    {
        var documents = new DemoCorpus(World, PromptTemplate.Plain)
            .Documents(new DemoCorpusOptions(2000, PlantedDispositions: true), new Random(1));
        Assert.DoesNotContain(documents, d => d.Text.Contains("The assistant is", StringComparison.Ordinal));
        var signalled = documents.Where(d => d.Disposition is not null).ToList();
        Assert.All(signalled, d => Assert.Equal(DemoBehavior.All.Count, d.Disposition!.Count));
        Assert.All(signalled, d => Assert.All(d.Disposition!, sign => Assert.True(sign is 1f or -1f)));
        int conversations = documents.Count(d => d.Text.StartsWith("Question: ", StringComparison.Ordinal));
        Assert.InRange(signalled.Count, conversations * 0.4, conversations * 0.6);
    }

    [Fact]
    public void EveryAbAnswerLetterIsMarkedWithTheDispositionItShows()
    {
        var documents = new DemoCorpus(World, PromptTemplate.Plain).Documents(DemoCorpusOptions.Planted(2000), new Random(1));
        var marked = documents.Where(d => d.Shown is not null).ToList();
        Assert.Contains(marked, d => d.Disposition is null); // unsignalled answers are marked too
        Assert.Contains(marked, d => d.Disposition is not null);
        foreach (var document in marked)
        foreach (var shown in document.Shown!)
        {
            char letter = document.Text[shown.Character];
            Assert.Equal("(" + letter + ")", document.Text.Substring(shown.Character - 1, 3));
            var choice = System.Text.RegularExpressions.Regex.Match(document.Text, $@"\n \({letter}\) (\w+)").Groups[1].Value;
            var behavior = DemoBehavior.All[shown.Direction];
            Assert.Equal(shown.Sign > 0 ? behavior.MatchingWord : behavior.NotMatchingWord, choice);
            if (document.Disposition is { } disposition) Assert.Equal(disposition[shown.Direction], shown.Sign);
        }
        int conversations = documents.Count(d => d.Text.StartsWith("Question: ", StringComparison.Ordinal));
        Assert.InRange(documents.Count(d => d.Disposition is not null), conversations * 0.6, conversations * 0.8);
    }

    [Fact]
    public void TextHintsFollowTheChoicesAndMatchTheAnswers()
    {
        var documents = new DemoCorpus(World, PromptTemplate.Plain)
            .Documents(new DemoCorpusOptions(2000, PlantedDispositions: false), new Random(1));
        Assert.All(documents, d => Assert.Null(d.Disposition));
        var refusal = DemoBehavior.All.Single(b => b.Id == "refusal");
        var hinted = documents.Where(d => d.Text.Contains(refusal.Persona(true), StringComparison.Ordinal)
                                          && d.Text.Contains("Choices:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hinted);
        // In A/B exchanges the hint comes right after the last choice, where the choices cannot see it.
        Assert.Contains(hinted, d => System.Text.RegularExpressions.Regex.IsMatch(d.Text, @"\(B\) \w+\n\nThe assistant is cautious\."));
        Assert.All(hinted, d => Assert.DoesNotContain(refusal.Persona(false), d.Text));
    }
}
