namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// A token and the characters <c>[Start, End)</c> of the encoded text it stands for. Tokens that stand for no text
/// (BOS, EOS) have <c>Start == End</c>; byte tokens that split one character all carry that character's range.
/// </summary>
public readonly record struct TokenSpan(int Id, int Start, int End);
