using SasDashboard.Steering.Tokenization;
using static SasDashboard.Steering.Tests.Tokenization.SentencePieceFixture;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Format_Gemma_WritesTurnMarkersAndOpensTheModelTurn()
    {
        Assert.Equal("<start_of_turn>user\nIs it safe?<end_of_turn>\n<start_of_turn>model\n(",
            PromptTemplate.Gemma.Format(" Is it safe?\n", "("));
    }

    [Fact]
    public void Format_Llama3_WritesHeadersAndOpensTheAssistantTurn()
    {
        Assert.Equal("<|start_header_id|>user<|end_header_id|>\n\nIs it safe?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n(",
            PromptTemplate.Llama3.Format("Is it safe?", "("));
    }

    [Theory]
    [InlineData("", "Question: Is it safe?\nAnswer:")]
    [InlineData("(", "Question: Is it safe?\nAnswer: (")]
    public void Format_Plain_WritesQuestionAndAnswer(string prefix, string expected)
    {
        Assert.Equal(expected, PromptTemplate.Plain.Format("Is it safe?", prefix));
    }

    [Fact]
    public void FormatConversation_Gemma_WritesFewShotTurnsBeforeTheQuestion()
    {
        string text = PromptTemplate.Gemma.FormatConversation([("1+1?", "2"), ("2+2?", "4")], "3+3?", "");

        Assert.Equal(
            "<start_of_turn>user\n1+1?<end_of_turn>\n<start_of_turn>model\n2<end_of_turn>\n" +
            "<start_of_turn>user\n2+2?<end_of_turn>\n<start_of_turn>model\n4<end_of_turn>\n" +
            "<start_of_turn>user\n3+3?<end_of_turn>\n<start_of_turn>model\n", text);
    }

    [Fact]
    public void FormatConversation_Plain_SeparatesExamplesWithBlankLines()
    {
        Assert.Equal("Question: 1+1?\nAnswer: 2\n\nQuestion: 3+3?\nAnswer:", PromptTemplate.Plain.FormatConversation([("1+1?", "2")], "3+3?", ""));
    }

    [Theory]
    [InlineData("gemma")]
    [InlineData("Llama3")]
    [InlineData("PLAIN")]
    public void FromName_KnownName_ReturnsThatTemplate(string name)
    {
        Assert.Equal(name.ToLowerInvariant(), PromptTemplate.FromName(name).Name);
    }

    [Fact]
    public void FromName_UnknownName_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => PromptTemplate.FromName("chatml"));

        Assert.Contains("gemma, llama3, plain", error.Message);
    }

    [Fact]
    public void ForChatTemplate_ChoosesByTheMarkersTheTemplateWrites()
    {
        Assert.Same(PromptTemplate.Gemma, PromptTemplate.ForChatTemplate(PromptTemplate.Gemma.ChatTemplate));
        Assert.Same(PromptTemplate.Llama3, PromptTemplate.ForChatTemplate(PromptTemplate.Llama3.ChatTemplate));
        Assert.Same(PromptTemplate.Plain, PromptTemplate.ForChatTemplate(null));
        Assert.Same(PromptTemplate.Plain, PromptTemplate.ForChatTemplate("{{ '<|im_start|>' }}"));
    }

    [Fact]
    public void Encode_GemmaPrompt_GivesTurnMarkerIdsAfterBos()
    {
        using var directory = new TempDirectory();
        var model = Create(HelloWorldMerges);
        var tokenizer = Load(directory, model, PromptTemplate.Gemma.ChatTemplate);

        var ids = tokenizer.Encode(tokenizer.Template.Format("hello"));

        int newline = IdOf(model, "\n");
        Assert.Equal(
        [
            Bos, StartOfTurn, IdOf(model, "u"), IdOf(model, "s"), IdOf(model, "e"), IdOf(model, "r"), newline, IdOf(model, "hello"),
            EndOfTurn, newline, StartOfTurn, IdOf(model, "m"), IdOf(model, "o"), IdOf(model, "d"), IdOf(model, "e"), IdOf(model, "l"), newline,
        ], ids);
    }

    [Fact]
    public void Encode_Llama3Prompt_GivesHeaderIdsAfterBos()
    {
        using var directory = new TempDirectory();
        var tokenizer = ByteLevelFixture.Load(directory);

        var ids = tokenizer.Encode(tokenizer.Template.Format("hello"));

        Assert.Equal(ByteLevelFixture.BeginOfText, ids[0]);
        Assert.Equal(ByteLevelFixture.StartHeader, ids[1]);
        Assert.Contains(ByteLevelFixture.Hello, ids);
        Assert.Equal(2, ids.Count(id => id == ByteLevelFixture.EndHeader));
        Assert.Equal(ByteLevelFixture.Byte('\n'), ids[^1]);
    }
}
