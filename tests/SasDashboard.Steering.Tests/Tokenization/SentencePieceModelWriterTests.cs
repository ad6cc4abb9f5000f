using Microsoft.ML.Tokenizers;
using SasDashboard.Steering.Tokenization;
using static SasDashboard.Steering.Tests.Tokenization.SentencePieceFixture;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class SentencePieceModelWriterTests
{
    [Fact]
    public void Serialize_ThenRead_GivesBackEveryField()
    {
        var model = Create(HelloWorldMerges, addDummyPrefix: true) with
        {
            PadId = -1,
            ByteFallback = true,
            NormalizerName = "identity",
            EscapeWhitespaces = true,
        };

        var read = SentencePieceModelReader.Read(SentencePieceModelWriter.Serialize(model), "memory");

        Assert.Equal(model.Pieces, read.Pieces);
        Assert.Equal(model with { Pieces = read.Pieces, PrecompiledCharsmap = read.PrecompiledCharsmap }, read);
        Assert.Equal(-1, read.PadId);
    }

    [Fact]
    public void Serialize_OutputLoadsInMicrosoftSentencePieceTokenizer()
    {
        var model = Create(HelloWorldMerges);
        using var stream = new MemoryStream(SentencePieceModelWriter.Serialize(model));

        var tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: true, addEndOfSentence: false);

        Assert.Equal([Bos, IdOf(model, "hello"), IdOf(model, "▁wor"), IdOf(model, "ld")], tokenizer.EncodeToIds("hello world"));
        Assert.Equal("<bos>", tokenizer.BeginningOfSentenceToken);
        Assert.True(tokenizer.ByteFallback);
        Assert.False(tokenizer.AddDummyPrefix);
        Assert.Equal([FirstByte + 0xC3, FirstByte + 0xA9], tokenizer.EncodeToIds("é", addBeginningOfSentence: false, addEndOfSentence: false));
    }

    [Fact]
    public void Serialize_PieceIdsOutsideTheModel_AreRefused()
    {
        var model = Create(HelloWorldMerges) with { EosId = 10_000 };

        Assert.Throws<ArgumentException>(() => SentencePieceModelWriter.Serialize(model));
    }
}
