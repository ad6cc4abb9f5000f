using SasDashboard.Steering.Tokenization;
using static SasDashboard.Steering.Tests.Tokenization.SentencePieceFixture;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class TokenizerLoadErrorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_MissingDirectory_NamesTheDirectory()
    {
        string missing = _directory.File("absent");

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(missing));

        Assert.Equal(missing, error.FilePath);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Load_NoTokenizerFile_SaysWhichFilesWereExpected()
    {
        _directory.Write(TokenizerFileNames.TokenizerConfig, "{}");

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.StartsWith(_directory.Path, error.Message);
        Assert.Contains("no tokenizer file", error.Message);
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("tokenizer.model", error.Message);
    }

    [Fact]
    public void Load_MalformedTokenizerJson_NamesFileAndProblem()
    {
        _directory.Write(TokenizerFileNames.TokenizerJson, """{ "model": { "type": "BPE", """);

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(_directory.File(TokenizerFileNames.TokenizerJson), error.FilePath);
        Assert.Contains("malformed JSON", error.Message);
    }

    [Fact]
    public void Load_MalformedTokenizerConfig_NamesFileAndProblem()
    {
        SentencePieceModelWriter.Write(_directory.File(TokenizerFileNames.SentencePieceModel), Create(HelloWorldMerges));
        _directory.Write(TokenizerFileNames.TokenizerConfig, "{ \"add_bos_token\": tru }");

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(_directory.File(TokenizerFileNames.TokenizerConfig), error.FilePath);
        Assert.Contains("malformed JSON", error.Message);
    }

    [Fact]
    public void Load_ConfigFieldOfWrongType_NamesFieldAndFile()
    {
        SentencePieceModelWriter.Write(_directory.File(TokenizerFileNames.SentencePieceModel), Create(HelloWorldMerges));
        _directory.Write(TokenizerFileNames.GenerationConfig, """{ "eos_token_id": "one" }""");

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(_directory.File(TokenizerFileNames.GenerationConfig), error.FilePath);
        Assert.Contains("'eos_token_id' should be an integer", error.Message);
    }

    [Theory]
    [InlineData("WordPiece")]
    [InlineData("Unigram")]
    [InlineData("WordLevel")]
    public void Load_UnsupportedTokenizerJsonModelType_NamesTheType(string type)
    {
        _directory.Write(TokenizerFileNames.TokenizerJson, $$"""{ "model": { "type": "{{type}}", "vocab": {} } }""");

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(_directory.File(TokenizerFileNames.TokenizerJson), error.FilePath);
        Assert.Contains($"unsupported tokenizer model type '{type}'", error.Message);
    }

    [Fact]
    public void Load_BpeJsonWithoutByteLevelAndNoTokenizerModel_ExplainsWhatIsMissing()
    {
        _directory.Write(TokenizerFileNames.TokenizerJson, """
            { "pre_tokenizer": { "type": "Metaspace", "replacement": "▁" }, "model": { "type": "BPE", "vocab": {}, "merges": [] } }
            """);

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Contains("unsupported pre-tokenizer 'Metaspace'", error.Message);
    }

    [Fact]
    public void Load_UnigramSentencePieceModel_NamesTheModelType()
    {
        SentencePieceModelWriter.Write(_directory.File(TokenizerFileNames.SentencePieceModel),
            Create(HelloWorldMerges) with { ModelType = SentencePieceModelType.Unigram });

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(_directory.File(TokenizerFileNames.SentencePieceModel), error.FilePath);
        Assert.Contains("unsupported SentencePiece model type Unigram", error.Message);
    }

    [Fact]
    public void Load_TruncatedTokenizerModel_ReportsBrokenProtobuf()
    {
        byte[] model = SentencePieceModelWriter.Serialize(Create(HelloWorldMerges));
        File.WriteAllBytes(_directory.File(TokenizerFileNames.SentencePieceModel), model[..(model.Length / 2)]);

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(_directory.File(TokenizerFileNames.SentencePieceModel), error.FilePath);
        Assert.Contains("broken protobuf", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(new byte[] { 0x0B, 0x01 })]
    [InlineData(new byte[] { 0x0A, 0x04, 0x0A, 0x02, 0xC3, 0x28 })]
    public void Load_GarbageTokenizerModel_ReportsBrokenProtobuf(byte[] data)
    {
        File.WriteAllBytes(_directory.File(TokenizerFileNames.SentencePieceModel), data);

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Contains("broken protobuf", error.Message);
    }

    [Fact]
    public void Load_TokenizerModelWithoutPieces_SaysSo()
    {
        File.WriteAllText(_directory.File(TokenizerFileNames.SentencePieceModel), "");

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Contains("has no pieces", error.Message);
    }

    [Fact]
    public void Load_BosTokenNotInVocabulary_NamesTokenizerConfig()
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(_directory.Path, Create(HelloWorldMerges));
        string config = _directory.File(TokenizerFileNames.TokenizerConfig);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"bos_token\": \"<bos>\"", "\"bos_token\": \"<s>\""));

        var error = Assert.Throws<TokenizerException>(() => ModelTokenizer.Load(_directory.Path));

        Assert.Equal(config, error.FilePath);
        Assert.Contains("bos_token '<s>' is not in the vocabulary", error.Message);
    }
}
