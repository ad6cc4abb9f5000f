using SasDashboard.Steering.Tokenization;
using static SasDashboard.Steering.Tests.Tokenization.ByteLevelFixture;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class ByteLevelTokenizationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Encode_ByteLevelModel_AppliesMergesByRankAfterTheRegexSplit()
    {
        var tokenizer = Load(_directory);

        // "hello" | " world": h-e, l-l, he-ll, hell-o; then Ġ-w, Ġw-o and the bytes r, l, d.
        Assert.Equal([BeginOfText, Hello, SpaceWo, Byte('r'), Byte('l'), Byte('d')], tokenizer.Encode("hello world"));
        Assert.Equal(ModelTokenizer.ByteLevelBpeKind, tokenizer.Kind);
    }

    [Theory]
    [InlineData(false, "ab", "c")]
    [InlineData(true, "a", "bc")]
    public void Encode_ByteLevelModel_EarlierMergeWinsAnOverlap(bool bcFirst, string first, string second)
    {
        (string, string)[] merges = bcFirst ? [("b", "c"), ("a", "b")] : [("a", "b"), ("b", "c")];
        var model = ByteLevelBpeModel.FromTextMerges(merges, SpecialTokens);
        var tokenizer = Load(_directory, model);

        Assert.Equal([model.Vocabulary[first], model.Vocabulary[second]], tokenizer.Encode("abc", addBos: false));
    }

    [Fact]
    public void Encode_Llama3Regex_SplitsDigitsInThreesBeforeMerging()
    {
        var model = ByteLevelBpeModel.FromTextMerges([("3", "4")], SpecialTokens);
        var tokenizer = Load(_directory, model);

        Assert.Equal([model.Vocabulary["34"]], tokenizer.Encode("34", addBos: false));
        Assert.Equal([Byte('1'), Byte('2'), Byte('3'), Byte('4'), Byte('5')], tokenizer.Encode("12345", addBos: false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encode_IgnoreMerges_TakesWholeWordsFromTheVocabulary(bool ignoreMerges)
    {
        var model = Create();
        var vocabulary = new Dictionary<string, int>(model.Vocabulary) { ["Ġcat"] = 300 };
        model = model with { Vocabulary = vocabulary, IgnoreMerges = ignoreMerges };
        var tokenizer = Load(_directory, model);

        int[] expected = ignoreMerges ? [300] : [Byte(' '), Byte('c'), Byte('a'), Byte('t')];
        Assert.Equal(expected, tokenizer.Encode(" cat", addBos: false));
    }

    [Fact]
    public void Encode_SpecialTokensWrittenInText_BecomeTheirSingleIds()
    {
        var tokenizer = Load(_directory);

        var ids = tokenizer.Encode("<|start_header_id|>user<|end_header_id|>\n\nhello<|eot_id|>", addBos: false);

        Assert.Equal(
            [StartHeader, Byte('u'), Byte('s'), Byte('e'), Byte('r'), EndHeader, Byte('\n'), Byte('\n'), Hello, EndOfTurn], ids);
    }

    [Fact]
    public void EncodeWithOffsets_MultiByteCharacters_MapEveryByteTokenToItsCharacter()
    {
        var tokenizer = Load(_directory);

        var spans = tokenizer.EncodeWithOffsets("é😀", addBos: false);

        Assert.Equal(
        [
            new TokenSpan(0xC3, 0, 1), new TokenSpan(0xA9, 0, 1),
            new TokenSpan(0xF0, 1, 3), new TokenSpan(0x9F, 1, 3), new TokenSpan(0x98, 1, 3), new TokenSpan(0x80, 1, 3),
        ], spans);
    }

    [Theory]
    [InlineData("Answer: (A)")]
    [InlineData("Answer:\n (B)")]
    [InlineData("(A")]
    public void TokenIndexAtCharacter_AnswerLetter_FindsTheTokenHoldingIt(string text)
    {
        var tokenizer = Load(_directory);
        int letter = text.IndexOfAny(['A', 'B'], text.IndexOf('('));

        var spans = tokenizer.EncodeWithOffsets(text);
        var token = spans[ModelTokenizer.TokenIndexAtCharacter(spans, letter)];

        Assert.Equal(text[letter], (char)token.Id);
        Assert.Equal(letter, token.Start);
    }

    [Fact]
    public void Decode_ByteLevelModel_RoundTripsTextAndSkipsSpecialTokensOnRequest()
    {
        var tokenizer = Load(_directory);
        const string text = "hello world, naïve 日本 😀\n\t<|eot_id|>";

        var ids = tokenizer.Encode(text);

        Assert.Equal("<|begin_of_text|>" + text, tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.Equal(text.Replace("<|eot_id|>", ""), tokenizer.Decode(ids));
    }

    [Fact]
    public void TokenText_ByteLevelModel_GivesRawTokens()
    {
        var tokenizer = Load(_directory);

        Assert.Equal("Ġwo", tokenizer.TokenText(SpaceWo));
        Assert.Equal("Ċ", tokenizer.TokenText('\n'));
        Assert.Equal("<|eot_id|>", tokenizer.TokenText(EndOfTurn));
        Assert.Equal(267, tokenizer.VocabularySize);
    }

    [Fact]
    public void Load_TokenizerJsonWriterOutput_ReadsBackTheSameModel()
    {
        var model = Create();
        string path = _directory.File(TokenizerFileNames.TokenizerJson);
        TokenizerJsonWriter.Write(path, model);

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var read = TokenizerJsonReader.Read(document.RootElement, path);

        Assert.Equal(model.Vocabulary.OrderBy(entry => entry.Value), read.Vocabulary.OrderBy(entry => entry.Value));
        Assert.Equal(model.Merges, read.Merges);
        Assert.Equal(model.AddedTokens, read.AddedTokens);
        Assert.Equal(model.SplitPatterns, read.SplitPatterns);
        Assert.Equal("<|begin_of_text|>", read.BosToken);
        Assert.True(read.IgnoreMerges);
    }
}
