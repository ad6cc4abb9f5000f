using SasDashboard.Steering.Tokenization;
using static SasDashboard.Steering.Tests.Tokenization.SentencePieceFixture;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class SentencePieceTokenizationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Encode_SentencePieceModel_MergesByScoreAsSentencePieceBpeDoes()
    {
        var model = Create(HelloWorldMerges);
        var tokenizer = Load(_directory, model);

        // Worked by hand: he(-1), ll(-2), llo(-3), hello(-4), ▁w(-5), or(-6), ▁wor(-7), ld(-8); "▁world" is no piece.
        Assert.Equal([Bos, IdOf(model, "hello"), IdOf(model, "▁wor"), IdOf(model, "ld")], tokenizer.Encode("hello world"));
        Assert.Equal(ModelTokenizer.SentencePieceKind, tokenizer.Kind);
    }

    [Theory]
    [InlineData(-1f, -2f, "ab", "c")]
    [InlineData(-2f, -1f, "a", "bc")]
    public void Encode_SentencePieceModel_HigherScoredPieceWinsAnOverlap(float abScore, float bcScore, string first, string second)
    {
        var model = Create([("ab", abScore), ("bc", bcScore)]);
        var tokenizer = Load(_directory, model);

        Assert.Equal([IdOf(model, first), IdOf(model, second)], tokenizer.Encode("abc", addBos: false));
    }

    [Theory]
    [InlineData("lll", new[] { "ll", "l" })]
    [InlineData("lllll", new[] { "llll", "l" })]
    public void Encode_RepeatedCharacters_JoinsTheLeftmostOfEqualPairsFirst(string text, string[] expected)
    {
        var model = Create([("ll", -1), ("llll", -2)]);
        var tokenizer = Load(_directory, model);

        Assert.Equal(expected.Select(piece => IdOf(model, piece)), tokenizer.Encode(text, addBos: false));
    }

    [Fact]
    public void Encode_ModelWithoutByteFallback_GivesOneUnknownTokenPerRunOfUnknownCharacters()
    {
        var model = Create(HelloWorldMerges) with { ByteFallback = false };
        var tokenizer = Load(_directory, model);

        var spans = tokenizer.EncodeWithOffsets("hé€h", addBos: false);

        Assert.Equal([new TokenSpan(IdOf(model, "h"), 0, 1), new TokenSpan(Unknown, 1, 3), new TokenSpan(IdOf(model, "h"), 3, 4)], spans);
    }

    [Fact]
    public void Encode_SentencePieceModel_UsesByteFallbackForUnknownCharacters()
    {
        var model = Create(HelloWorldMerges);
        var tokenizer = Load(_directory, model);

        var spans = tokenizer.EncodeWithOffsets("hé😀", addBos: false);

        Assert.Equal(
        [
            new TokenSpan(IdOf(model, "h"), 0, 1),
            new TokenSpan(FirstByte + 0xC3, 1, 2), new TokenSpan(FirstByte + 0xA9, 1, 2),
            new TokenSpan(FirstByte + 0xF0, 2, 4), new TokenSpan(FirstByte + 0x9F, 2, 4),
            new TokenSpan(FirstByte + 0x98, 2, 4), new TokenSpan(FirstByte + 0x80, 2, 4),
        ], spans);
        Assert.Equal("hé😀", tokenizer.Decode(spans.Select(span => span.Id)));
    }

    [Fact]
    public void Encode_SpecialTokensWrittenInText_BecomeTheirSingleIds()
    {
        var model = Create(HelloWorldMerges);
        var tokenizer = Load(_directory, model);

        var ids = tokenizer.Encode("<start_of_turn>user\nhello<end_of_turn>");

        Assert.Equal(
        [
            Bos, StartOfTurn, IdOf(model, "u"), IdOf(model, "s"), IdOf(model, "e"), IdOf(model, "r"), IdOf(model, "\n"),
            IdOf(model, "hello"), EndOfTurn,
        ], ids);
    }

    [Fact]
    public void Encode_AddBosFalse_LeavesBosOut()
    {
        var tokenizer = Load(_directory, Create(HelloWorldMerges));

        Assert.NotEqual(Bos, tokenizer.Encode("hello", addBos: false)[0]);
        Assert.Equal(Bos, tokenizer.Encode("hello")[0]);
    }

    [Fact]
    public void Decode_SentencePieceModel_RoundTripsTextAndSkipsSpecialTokensOnRequest()
    {
        var tokenizer = Load(_directory, Create(HelloWorldMerges));
        const string text = "<start_of_turn>user\nhello world, Qué?<end_of_turn>\n";

        var ids = tokenizer.Encode(text);

        Assert.Equal("<bos>" + text, tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("user\nhello world, Qué?\n", tokenizer.Decode(ids));
    }

    [Fact]
    public void EncodeWithOffsets_SentencePieceModel_MapsTokensToTheirCharacters()
    {
        var tokenizer = Load(_directory, Create(HelloWorldMerges));
        const string text = "<start_of_turn>hello world";

        var spans = tokenizer.EncodeWithOffsets(text);

        Assert.Equal(new TokenSpan(Bos, 0, 0), spans[0]);
        Assert.Equal(["<start_of_turn>", "hello", " wor", "ld"], spans.Skip(1).Select(span => text[span.Start..span.End]));
    }

    [Fact]
    public void TokenIndexAtCharacter_AnswerLetter_FindsTheTokenHoldingIt()
    {
        var model = Create([.. HelloWorldMerges, ("▁(", -9), ("(A", -10)]);
        var tokenizer = Load(_directory, model, PromptTemplate.Gemma.ChatTemplate);
        string prompt = tokenizer.Template.Format("Choose:\n (A) yes\n (B) no", "(A");

        var spans = tokenizer.EncodeWithOffsets(prompt);
        int index = ModelTokenizer.TokenIndexAtCharacter(spans, prompt.LastIndexOf('A'));

        Assert.Equal(IdOf(model, "(A"), spans[index].Id);
        Assert.Equal(index, spans.Count - 1);
    }

    [Fact]
    public void Encode_DummyPrefixModel_PrefixesOnlyTheStartOfTheInput()
    {
        var model = Create(HelloWorldMerges, addDummyPrefix: true);
        var tokenizer = Load(_directory, model);
        int space = IdOf(model, "▁"), hello = IdOf(model, "hello");

        Assert.Equal([space, hello], tokenizer.Encode("hello", addBos: false));
        Assert.Equal([StartOfTurn, hello], tokenizer.Encode("<start_of_turn>hello", addBos: false));
        Assert.Equal("hello world", tokenizer.Decode(tokenizer.Encode("hello world")));
        Assert.Equal(new TokenSpan(space, 0, 0), tokenizer.EncodeWithOffsets("hello", addBos: false)[0]);
    }

    [Fact]
    public void TokenText_SentencePieceModel_GivesRawPieces()
    {
        var model = Create(HelloWorldMerges);
        var tokenizer = Load(_directory, model);

        Assert.Equal("▁wor", tokenizer.TokenText(IdOf(model, "▁wor")));
        Assert.Equal("<0x41>", tokenizer.TokenText(FirstByte + 0x41));
        Assert.Equal("<start_of_turn>", tokenizer.TokenText(StartOfTurn));
        Assert.Equal(model.Pieces.Count, tokenizer.VocabularySize);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.TokenText(model.Pieces.Count));
    }
}
