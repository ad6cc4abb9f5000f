using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Training;

/// <summary>A training document as text, with the character spans that carry loss (null: the whole text).</summary>
/// <param name="Disposition">Weights of <see cref="PlantedDirections"/> added to this document's residual stream in
/// training (null: none).</param>
public sealed record TrainingText(string Text, IReadOnlyList<(int Start, int End)>? LearnedSpans = null,
    IReadOnlyList<float>? Disposition = null)
{
    /// <summary>Tokens with BOS, plus EOS (learned); a token carries loss when its first character lies in a learned span.</summary>
    public TrainingSequence Tokenize(ModelTokenizer tokenizer)
    {
        var spans = tokenizer.EncodeWithOffsets(Text);
        var ids = spans.Select(s => s.Id).Append(tokenizer.EosIds[0]).ToArray();
        if (LearnedSpans is null) return new TrainingSequence(ids, Disposition: Disposition);
        var learned = spans.Select(s => s.End > s.Start && LearnedSpans.Any(l => s.Start >= l.Start && s.Start < l.End))
            .Append(true).ToArray();
        return new TrainingSequence(ids, learned, Disposition);
    }
}
