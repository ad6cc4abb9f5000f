namespace SasDashboard.Steering.Tokenization;

/// <summary>The segmentation algorithms a SentencePiece model can use (values as in sentencepiece_model.proto).</summary>
public enum SentencePieceModelType
{
    Unigram = 1,
    Bpe = 2,
    Word = 3,
    Char = 4,
}

/// <summary>
/// The parts of a SentencePiece <c>ModelProto</c> (<c>tokenizer.model</c>) that decide how text is tokenized. The
/// piece at index i has id i. The defaults here are Gemma's settings (BPE, byte fallback, spaces written as '▁', no
/// dummy prefix, whitespace kept as is); a file that leaves a field out gets the proto's default instead when read.
/// </summary>
public sealed record SentencePieceModel
{
    public required IReadOnlyList<SentencePiece> Pieces { get; init; }
    public required int UnknownId { get; init; }

    /// <summary>-1 when the model has no such token, as in the proto.</summary>
    public required int BosId { get; init; }

    public required int EosId { get; init; }
    public required int PadId { get; init; }
    public SentencePieceModelType ModelType { get; init; } = SentencePieceModelType.Bpe;

    /// <summary>Characters outside the vocabulary become their UTF-8 bytes' pieces instead of the unknown piece.</summary>
    public bool ByteFallback { get; init; } = true;

    public string NormalizerName { get; init; } = "identity";

    /// <summary>Whether '▁' is put in front of the text, so the first word tokenizes like one after a space.</summary>
    public bool AddDummyPrefix { get; init; }

    public bool RemoveExtraWhitespaces { get; init; }
    public bool EscapeWhitespaces { get; init; } = true;
    public bool TreatWhitespaceAsSuffix { get; init; }

    /// <summary>A compiled Unicode normalization table (e.g. NFKC); empty for the identity normalizer.</summary>
    public ReadOnlyMemory<byte> PrecompiledCharsmap { get; init; }
}
