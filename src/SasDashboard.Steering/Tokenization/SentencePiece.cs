namespace SasDashboard.Steering.Tokenization;

/// <summary>The kinds of piece in a SentencePiece vocabulary (values as in sentencepiece_model.proto).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>
/// One vocabulary entry of a SentencePiece model. For BPE models the score is the merge priority: when two adjacent
/// symbols can join into this piece, the pair whose piece scores highest is joined first.
/// </summary>
public sealed record SentencePiece(string Piece, float Score, SentencePieceType Type = SentencePieceType.Normal)
{
    /// <summary>The name of the byte-fallback piece for a byte, e.g. "&lt;0x0A&gt;".</summary>
    public static string ByteName(int value) => $"<0x{value:X2}>";
}
