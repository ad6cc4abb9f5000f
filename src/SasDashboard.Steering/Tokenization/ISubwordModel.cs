using System.Diagnostics.CodeAnalysis;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// The vocabulary and segmentation of a tokenizer file, underneath its added tokens: <see cref="ModelTokenizer"/> cuts
/// added tokens out of the text and hands each stretch of ordinary text to this.
/// </summary>
internal interface ISubwordModel
{
    string Kind { get; }

    /// <summary>One more than the highest id of the file's vocabulary (added tokens may lie beyond).</summary>
    int Count { get; }

    /// <summary>Tokens the file itself marks as atomic (matched whole in text).</summary>
    IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>The BOS token the file names, if any.</summary>
    string? BosToken { get; }

    /// <summary>Whether the file's tokenizer puts BOS first when the tokenizer config does not say.</summary>
    bool AddsBosByDefault { get; }

    /// <summary>The EOS token the file names, if any.</summary>
    string? EosToken { get; }

    /// <summary>The pad token the file names, if any.</summary>
    string? PadToken { get; }

    bool TryGetPiece(int id, [NotNullWhen(true)] out string? piece);

    bool TryGetId(string piece, out int id);

    /// <summary>
    /// Appends the tokens of <c>text[start..start+length]</c>, which holds no added tokens, with character offsets into
    /// <paramref name="text"/>. <paramref name="start"/> 0 means the stretch begins the input.
    /// </summary>
    void Encode(string text, int start, int length, List<TokenSpan> output);

    /// <summary>Appends the UTF-8 bytes a vocabulary piece stands for (nothing for pieces that stand for no text).</summary>
    void AppendBytes(int id, List<byte> output);

    /// <summary>Undoes what encoding adds to the text (SentencePiece's dummy prefix space) on decoded text.</summary>
    string FinishDecoding(string decoded);
}
