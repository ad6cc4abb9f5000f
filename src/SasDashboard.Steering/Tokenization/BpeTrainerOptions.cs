namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// What <see cref="BpeTrainer"/> builds. The first four tokens take ids 0–3 in Gemma's order (pad, eos, bos, unk),
/// the additional special tokens follow as user-defined pieces, then the 256 byte-fallback pieces.
/// </summary>
public sealed record BpeTrainerOptions
{
    /// <summary>All pieces together: special, byte, character and merged pieces.</summary>
    public required int VocabularySize { get; init; }

    public string PadToken { get; init; } = "<pad>";
    public string EosToken { get; init; } = "<eos>";
    public string BosToken { get; init; } = "<bos>";
    public string UnknownToken { get; init; } = "<unk>";

    /// <summary>Tokens matched whole wherever they are written, such as Gemma's turn markers.</summary>
    public IReadOnlyList<string> AdditionalSpecialTokens { get; init; } = ["<start_of_turn>", "<end_of_turn>"];

    /// <summary>The longest merged piece, in characters (SentencePiece's max_sentencepiece_length).</summary>
    public int MaxPieceLength { get; init; } = 16;

    /// <summary>
    /// The share of character occurrences that get a piece of their own, most frequent first; the rarest characters
    /// are left to byte fallback so they do not crowd out merges (SentencePiece's character_coverage).
    /// </summary>
    public double CharacterCoverage { get; init; } = 0.9995;
}
