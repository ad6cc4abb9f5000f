using SasDashboard.Steering.Tokenization;
using static SasDashboard.Steering.Tests.Tokenization.SentencePieceFixture;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class SpecialTokenConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_SentencePieceWithAddBosFalse_EncodesWithoutBos()
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(_directory.Path, Create(HelloWorldMerges));
        ReplaceInFile(TokenizerFileNames.TokenizerConfig, "\"add_bos_token\": true", "\"add_bos_token\": false");

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.False(tokenizer.AddsBos);
        Assert.Equal(Bos, tokenizer.BosId);
        Assert.DoesNotContain(Bos, tokenizer.Encode("hello"));
    }

    [Fact]
    public void Load_SentencePieceWithoutConfig_AddsBosAsHuggingFaceDefaultsTo()
    {
        SentencePieceModelWriter.Write(_directory.File(TokenizerFileNames.SentencePieceModel), Create(HelloWorldMerges));

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.True(tokenizer.AddsBos);
        Assert.Equal(Bos, tokenizer.Encode("hello")[0]);
        Assert.Equal([Eos, EndOfTurn], tokenizer.EosIds);
        Assert.Equal(Pad, tokenizer.PadId);
        Assert.Same(PromptTemplate.Plain, tokenizer.Template);
    }

    [Fact]
    public void Load_AddEosTokenTrue_AppendsEos()
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(_directory.Path, Create(HelloWorldMerges));
        ReplaceInFile(TokenizerFileNames.TokenizerConfig, "\"add_eos_token\": false", "\"add_eos_token\": true");

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.Equal(Eos, tokenizer.Encode("hello")[^1]);
        Assert.NotEqual(Eos, tokenizer.Encode("hello", addBos: false)[^1]);
    }

    [Fact]
    public void Load_EosIds_UniteTokenizerConfigGenerationConfigAndTurnEnd()
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(_directory.Path, Create(HelloWorldMerges), PromptTemplate.Gemma.ChatTemplate);
        _directory.Write(TokenizerFileNames.ModelConfig, """{ "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0 }""");
        _directory.Write(TokenizerFileNames.GenerationConfig, """{ "eos_token_id": [1, 300] }""");

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.Equal([Eos, 300, EndOfTurn], tokenizer.EosIds);
        Assert.Same(PromptTemplate.Gemma, tokenizer.Template);
    }

    [Fact]
    public void Load_ByteLevelWithoutAddBosToken_FollowsThePostProcessor()
    {
        var tokenizer = ByteLevelFixture.Load(_directory);

        Assert.True(tokenizer.AddsBos);
        Assert.Equal(ByteLevelFixture.BeginOfText, tokenizer.BosId);
        Assert.Equal(ByteLevelFixture.BeginOfText, tokenizer.Encode("hi")[0]);
        Assert.Same(PromptTemplate.Llama3, tokenizer.Template);
    }

    [Fact]
    public void Load_ByteLevelWithAddBosFalse_EncodesWithoutBos()
    {
        ByteLevelFixture.Load(_directory);
        ReplaceInFile(TokenizerFileNames.TokenizerConfig, "\"add_eos_token\"", "\"add_bos_token\": false, \"add_eos_token\"");

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.False(tokenizer.AddsBos);
        Assert.Equal([ByteLevelFixture.Byte('h'), ByteLevelFixture.Byte('i')], tokenizer.Encode("hi"));
    }

    [Fact]
    public void Load_ByteLevelEosIds_IncludeConfigListAndEotId()
    {
        ByteLevelFixture.Load(_directory);
        _directory.Write(TokenizerFileNames.ModelConfig, """{ "bos_token_id": 262, "eos_token_id": [263, 264] }""");

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.Equal([ByteLevelFixture.EndOfText, ByteLevelFixture.StartHeader, ByteLevelFixture.EndOfTurn], tokenizer.EosIds);
        Assert.Equal(ByteLevelFixture.EndOfText, tokenizer.PadId);
    }

    [Fact]
    public void Load_PadTokenInSpecialTokensMap_IsUsedWhenTokenizerConfigHasNone()
    {
        ByteLevelFixture.Load(_directory);
        _directory.Write(TokenizerFileNames.SpecialTokensMap, """{ "pad_token": { "content": "<|eot_id|>", "special": true } }""");

        var tokenizer = ModelTokenizer.Load(_directory.Path);

        Assert.Equal(ByteLevelFixture.EndOfTurn, tokenizer.PadId);
    }

    [Fact]
    public void Load_ChatTemplateFile_ChoosesTheTemplateAndAnOverrideWins()
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(_directory.Path, Create(HelloWorldMerges));
        _directory.Write(TokenizerFileNames.ChatTemplate, "{{ '<start_of_turn>' }}");

        Assert.Same(PromptTemplate.Gemma, ModelTokenizer.Load(_directory.Path).Template);
        Assert.Same(PromptTemplate.Plain, ModelTokenizer.Load(_directory.Path, PromptTemplate.FromName("plain")).Template);
    }

    [Fact]
    public void Load_ByteLevelJsonNextToTokenizerModel_UsesTheJsonAsHuggingFaceDoes()
    {
        ByteLevelFixture.Load(_directory);
        SentencePieceModelWriter.Write(_directory.File(TokenizerFileNames.SentencePieceModel), Create(HelloWorldMerges));

        Assert.Equal(ModelTokenizer.ByteLevelBpeKind, ModelTokenizer.Load(_directory.Path).Kind);
    }

    [Fact]
    public void Load_ConvertedSentencePieceJsonNextToTokenizerModel_UsesTheModel()
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(_directory.Path, Create(HelloWorldMerges));
        _directory.Write(TokenizerFileNames.TokenizerJson, """
            { "normalizer": { "type": "Replace" }, "pre_tokenizer": null,
              "model": { "type": "BPE", "vocab": {}, "merges": [], "byte_fallback": true } }
            """);

        Assert.Equal(ModelTokenizer.SentencePieceKind, ModelTokenizer.Load(_directory.Path).Kind);
    }

    private void ReplaceInFile(string name, string oldText, string newText)
    {
        string text = File.ReadAllText(_directory.File(name));
        Assert.Contains(oldText, text);
        File.WriteAllText(_directory.File(name), text.Replace(oldText, newText));
    }
}
