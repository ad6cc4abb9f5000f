using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Training;

/// <summary>An answer in a training text that shows a disposition: the character of its answer letter, which
/// <see cref="PlantedDirections"/> row it shows, and with which sign.</summary>
public sealed record ShownDisposition(int Character, int Direction, float Sign);

/// <summary>A training document as text, with the character spans that carry loss (null: the whole text).</summary>
/// <param name="Disposition">Weights of <see cref="PlantedDirections"/> added to this document's residual stream in
/// training (null: none).</param>
/// <param name="Shown">Answers whose letter must carry the disposition they show (null: none).</param>
public sealed record TrainingText(string Text, IReadOnlyList<(int Start, int End)>? LearnedSpans = null,
    IReadOnlyList<float>? Disposition = null, IReadOnlyList<ShownDisposition>? Shown = null)
{
    /// <summary>Tokens with BOS, plus EOS (learned); a token carries loss when its first character lies in a learned span.</summary>
    public TrainingSequence Tokenize(ModelTokenizer tokenizer)
    {
        var spans = tokenizer.EncodeWithOffsets(Text);
        var ids = spans.Select(s => s.Id).Append(tokenizer.EosIds[0]).ToArray();
        var shown = Shown?.Select(s => new ShownToken(ModelTokenizer.TokenIndexAtCharacter(spans, s.Character), s.Direction, s.Sign))
            .ToArray();
        var learned = LearnedSpans is null
            ? null
            : spans.Select(s => s.End > s.Start && LearnedSpans.Any(l => s.Start >= l.Start && s.Start < l.End))
                .Append(true).ToArray();
        return new TrainingSequence(ids, learned, Disposition, shown);
    }
}
