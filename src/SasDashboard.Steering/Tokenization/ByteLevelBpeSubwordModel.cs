using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// A byte-level BPE <c>tokenizer.json</c>, segmented by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> with
/// <c>ByteLevel = true</c>, which applies merges by their rank in the merges list as Hugging Face's BPE model does.
/// The pre-tokenizer regexes and Llama 3's <c>ignore_merges</c> are applied here, word by word, because the library
/// has no equivalent of either. (<see cref="TiktokenTokenizer"/> is not used: it ranks merges by token id, which only
/// matches files converted from tiktoken.)
/// </summary>
internal sealed class ByteLevelBpeSubwordModel : ISubwordModel
{
    private readonly ByteLevelBpeModel _model;
    private readonly BpeTokenizer _bpe;
    private readonly Regex[] _splitters;
    private readonly string?[] _pieceOfId;

    private ByteLevelBpeSubwordModel(ByteLevelBpeModel model, BpeTokenizer bpe, Regex[] splitters)
    {
        _model = model;
        _bpe = bpe;
        _splitters = splitters;
        _pieceOfId = new string?[model.Vocabulary.Count == 0 ? 0 : model.Vocabulary.Values.Max() + 1];
        foreach (var (piece, id) in model.Vocabulary) _pieceOfId[id] = piece;
    }

    public string Kind => ModelTokenizer.ByteLevelBpeKind;
    public int Count => _pieceOfId.Length;
    public IReadOnlyList<AddedToken> AddedTokens => _model.AddedTokens;
    public string? BosToken => _model.BosToken;
    public bool AddsBosByDefault => _model.BosToken is not null;
    public string? EosToken => null;
    public string? PadToken => null;

    public static ByteLevelBpeSubwordModel Create(ByteLevelBpeModel model, string path)
    {
        var splitters = model.SplitPatterns.Select(pattern =>
        {
            try
            {
                return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
            }
            catch (ArgumentException e)
            {
                throw new TokenizerException(path, $"pre-tokenizer pattern is not a valid .NET regex ({e.Message})", e);
            }
        }).ToArray();
        try
        {
            var bpe = BpeTokenizer.Create(new BpeOptions(model.Vocabulary)
            {
                Merges = model.Merges.Select(merge => $"{merge.Left} {merge.Right}"),
                ByteLevel = true,
            });
            return new ByteLevelBpeSubwordModel(model, bpe, splitters);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new TokenizerException(path, $"the BPE vocabulary and merges do not fit together ({e.Message})", e);
        }
    }

    public bool TryGetPiece(int id, [NotNullWhen(true)] out string? piece)
    {
        piece = (uint)id < (uint)_pieceOfId.Length ? _pieceOfId[id] : null;
        return piece is not null;
    }

    public bool TryGetId(string piece, out int id) => _model.Vocabulary.TryGetValue(piece, out id);

    public void Encode(string text, int start, int length, List<TokenSpan> output)
    {
        foreach (var (wordStart, wordLength) in Words(text, start, length)) EncodeWord(text.Substring(wordStart, wordLength), wordStart, output);
    }

    public void AppendBytes(int id, List<byte> output)
    {
        if (!TryGetPiece(id, out var piece)) return;
        foreach (char symbol in piece)
        {
            if (ByteLevelAlphabet.TryGetByte(symbol, out byte value)) output.Add(value);
            else output.AddRange(Encoding.UTF8.GetBytes(symbol.ToString()));
        }
    }

    public string FinishDecoding(string decoded) => decoded;

    /// <summary>Cuts text into words with each regex in turn; text between matches is kept as a word of its own.</summary>
    private List<(int Start, int Length)> Words(string text, int start, int length)
    {
        var words = new List<(int Start, int Length)> { (start, length) };
        foreach (var splitter in _splitters)
        {
            var next = new List<(int Start, int Length)>(words.Count * 4);
            foreach (var (pieceStart, pieceLength) in words)
            {
                int cursor = pieceStart;
                // Matching inside the piece only, so look-arounds see the piece's end as the end of the text.
                foreach (var match in splitter.EnumerateMatches(text.AsSpan(pieceStart, pieceLength)))
                {
                    if (match.Length == 0) continue;
                    int matchStart = pieceStart + match.Index;
                    if (matchStart > cursor) next.Add((cursor, matchStart - cursor));
                    next.Add((matchStart, match.Length));
                    cursor = matchStart + match.Length;
                }
                if (cursor < pieceStart + pieceLength) next.Add((cursor, pieceStart + pieceLength - cursor));
            }
            words = next;
        }
        return words;
    }

    private void EncodeWord(string word, int wordStart, List<TokenSpan> output)
    {
        if (_model.IgnoreMerges && _model.Vocabulary.TryGetValue(ByteLevelAlphabet.Encode(word), out int wholeWordId))
        {
            output.Add(new TokenSpan(wholeWordId, wordStart, wordStart + word.Length));
            return;
        }
        foreach (var token in _bpe.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false))
        {
            int tokenStart = token.Offset.Start.Value, tokenEnd = token.Offset.End.Value;
            // The library maps the bytes of a surrogate pair to its high surrogate only; widen to the whole character.
            if (tokenEnd < word.Length && char.IsHighSurrogate(word[tokenEnd - 1]) && char.IsLowSurrogate(word[tokenEnd])) tokenEnd++;
            output.Add(new TokenSpan(token.Id, wordStart + tokenStart, wordStart + tokenEnd));
        }
    }
}
