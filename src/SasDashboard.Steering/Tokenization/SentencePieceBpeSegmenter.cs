using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// SentencePiece's BPE segmentation (bpe_model.cc): start from single characters and keep joining the adjacent pair
/// whose joined text is a piece with the highest score, the leftmost pair among equal scores; then split UNUSED
/// pieces back into the pieces they were made from. A character that is no piece becomes its UTF-8 byte pieces when
/// the model has byte fallback, else the unknown piece (a run of unknown characters shares one).
/// </summary>
internal sealed class SentencePieceBpeSegmenter
{
    private readonly SentencePieceModel _model;

    // Pieces a pair may join into (SentencePiece's pieces_: normal, user-defined and unused), and all pieces by text.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _joinable;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _anyPiece;
    private readonly int _firstByteId;

    public SentencePieceBpeSegmenter(SentencePieceModel model)
    {
        _model = model;
        var joinable = new Dictionary<string, int>(StringComparer.Ordinal);
        var anyPiece = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            anyPiece[piece.Piece] = id;
            if (piece.Type is SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused) joinable[piece.Piece] = id;
        }
        _joinable = joinable.GetAlternateLookup<ReadOnlySpan<char>>();
        _anyPiece = anyPiece.GetAlternateLookup<ReadOnlySpan<char>>();
        _firstByteId = anyPiece.GetValueOrDefault(SentencePiece.ByteName(0), -1);
    }

    public bool TryGetId(string piece, out int id) => _anyPiece.TryGetValue(piece, out id);

    /// <summary>Appends the pieces of <paramref name="text"/> with their character ranges in it.</summary>
    public void Segment(string text, List<TokenSpan> output)
    {
        var symbols = new List<Symbol>(text.Length);
        for (int position = 0; position < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(position), out _, out int width);
            symbols.Add(new Symbol(position, width, symbols.Count - 1, position + width < text.Length ? symbols.Count + 1 : -1));
            position += width;
        }

        var agenda = new PriorityQueue<Pair, (float Score, int Left)>(PairOrder);
        var unusedParts = new Dictionary<string, (string Left, string Right)>(StringComparer.Ordinal);
        void Consider(int left, int right)
        {
            if (left < 0 || right < 0) return;
            var joined = text.AsSpan(symbols[left].Start, symbols[left].Length + symbols[right].Length);
            if (!_joinable.TryGetValue(joined, out int id)) return;
            agenda.Enqueue(new Pair(left, right, joined.Length), (_model.Pieces[id].Score, left));
            if (_model.Pieces[id].Type == SentencePieceType.Unused)
                unusedParts[joined.ToString()] = (Text(text, symbols[left]), Text(text, symbols[right]));
        }

        for (int index = 1; index < symbols.Count; index++) Consider(index - 1, index);
        while (agenda.TryDequeue(out var pair, out _))
        {
            var (left, right) = (symbols[pair.Left], symbols[pair.Right]);
            // Stale: one side has been joined into something else since this pair was queued.
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != pair.Length) continue;
            symbols[pair.Left] = left with { Length = pair.Length, Next = right.Next };
            symbols[pair.Right] = right with { Length = 0 };
            if (right.Next >= 0) symbols[right.Next] = symbols[right.Next] with { Previous = pair.Left };
            Consider(left.Previous, pair.Left);
            Consider(pair.Left, right.Next);
        }

        bool previousUnknown = false;
        for (int index = 0; index >= 0 && index < symbols.Count; index = symbols[index].Next)
            Emit(text, symbols[index].Start, symbols[index].Length, unusedParts, output, ref previousUnknown);
    }

    private void Emit(string text, int start, int length, Dictionary<string, (string Left, string Right)> unusedParts,
        List<TokenSpan> output, ref bool previousUnknown)
    {
        var piece = text.AsSpan(start, length);
        int id = _anyPiece.TryGetValue(piece, out int found) ? found : _model.UnknownId;
        if (_model.Pieces[id].Type == SentencePieceType.Unused && unusedParts.TryGetValue(piece.ToString(), out var parts))
        {
            Emit(text, start, parts.Left.Length, unusedParts, output, ref previousUnknown);
            Emit(text, start + parts.Left.Length, parts.Right.Length, unusedParts, output, ref previousUnknown);
            return;
        }
        bool unknown = id == _model.UnknownId;
        if (unknown && _model.ByteFallback)
        {
            foreach (byte value in Encoding.UTF8.GetBytes(piece.ToString())) output.Add(new TokenSpan(_firstByteId + value, start, start + length));
        }
        else if (unknown && previousUnknown)
        {
            output[^1] = output[^1] with { End = start + length };
        }
        else
        {
            output.Add(new TokenSpan(id, start, start + length));
        }
        previousUnknown = unknown && !_model.ByteFallback;
    }

    private static string Text(string text, Symbol symbol) => text.Substring(symbol.Start, symbol.Length);

    private static readonly Comparer<(float Score, int Left)> PairOrder = Comparer<(float Score, int Left)>.Create((x, y) =>
        x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Left.CompareTo(y.Left));

    /// <summary>A run of characters; <see cref="Length"/> 0 once joined into the symbol on its left.</summary>
    private readonly record struct Symbol(int Start, int Length, int Previous, int Next);

    private readonly record struct Pair(int Left, int Right, int Length);
}
