using SasDashboard.Steering.Tokenization;
using SasDashboard.Steering.Training;
using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Training;

public sealed class TrainingTextTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ModelTokenizer _tokenizer;

    public TrainingTextTests()
    {
        TinyTokenizer.Write(_dir.Path);
        _tokenizer = ModelTokenizer.Load(_dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OnlyTokensStartingInsideALearnedSpanCarryLossAndTheAppendedEosDoes()
    {
        const string text = "Question: Is the sky green? Answer: (B) No";
        int answer = text.IndexOf("(B)", StringComparison.Ordinal);
        var sequence = new TrainingText(text, [(answer, text.Length)]).Tokenize(_tokenizer);

        Assert.Equal(_tokenizer.EosIds[0], sequence.Ids[^1]);
        Assert.True(sequence.Learned![^1]);
        var spans = _tokenizer.EncodeWithOffsets(text);
        for (int i = 0; i < spans.Count; i++)
            Assert.Equal(spans[i].End > spans[i].Start && spans[i].Start >= answer, sequence.Learned[i]);
        Assert.Contains(true, sequence.Learned.Take(spans.Count));
        Assert.Contains(false, sequence.Learned.Take(spans.Count));
    }

    [Fact]
    public void AShownCharacterBecomesTheIndexOfTheTokenHoldingIt()
    {
        const string text = "Question: Is the sky green? Answer: (B) No";
        int letter = text.IndexOf("(B)", StringComparison.Ordinal) + 1;
        var sequence = new TrainingText(text, Disposition: [1f, -1f], Shown: [new ShownDisposition(letter, 1, -1f)])
            .Tokenize(_tokenizer);

        var shown = Assert.Single(sequence.Shown!);
        var span = _tokenizer.EncodeWithOffsets(text)[shown.Token];
        Assert.InRange(letter, span.Start, span.End - 1);
        Assert.Equal((1, -1f), (shown.Direction, shown.Sign));
        Assert.Equal([1f, -1f], sequence.Disposition);
        Assert.Null(sequence.Learned);
    }
}
