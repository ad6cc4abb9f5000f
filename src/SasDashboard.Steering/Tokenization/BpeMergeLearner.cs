using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Learns BPE merges from counted words: repeatedly joins the adjacent symbol pair with the highest total count,
/// ties going to the pair whose left, then right, symbol sorts first (ordinal), so training is deterministic.
/// Pair counts are kept up to date incrementally: a merge only revisits the words that contain its pair.
/// </summary>
internal sealed class BpeMergeLearner
{
    private const int Uncovered = -1;

    private readonly List<string> _symbols = [];
    private readonly List<int> _symbolLengths = [];
    private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);
    private readonly int[][] _words;
    private readonly int[] _wordLengths;
    private readonly long[] _wordCounts;
    private readonly int[] _lastVisit;
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, List<int>> _wordsWithPair = [];
    private readonly HashSet<long> _refusedPairs = [];
    private readonly PriorityQueue<long, (long Count, int Left, int Right)> _queue;

    private BpeMergeLearner(IReadOnlyDictionary<string, long> wordCounts, IReadOnlyList<string> alphabet)
    {
        foreach (var symbol in alphabet) AddSymbol(symbol, 1);
        _queue = new PriorityQueue<long, (long Count, int Left, int Right)>(Comparer<(long Count, int Left, int Right)>.Create(ComparePriority));
        _words = new int[wordCounts.Count][];
        _wordLengths = new int[wordCounts.Count];
        _wordCounts = new long[wordCounts.Count];
        _lastVisit = new int[wordCounts.Count];
        int index = 0;
        foreach (var (word, count) in wordCounts)
        {
            _words[index] = Symbolize(word);
            _wordLengths[index] = _words[index].Length;
            _wordCounts[index] = count;
            index++;
        }
        for (int word = 0; word < _words.Length; word++)
            for (int position = 0; position + 1 < _wordLengths[word]; position++)
                if (PairKey(_words[word][position], _words[word][position + 1]) is long pair)
                {
                    _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + _wordCounts[word];
                    WordsWithPair(pair).Add(word);
                }
        foreach (var (pair, count) in _pairCounts) Enqueue(pair, count);
    }

    /// <summary>
    /// The new pieces, in the order they were made, at most <paramref name="maxPieces"/>; pieces longer than
    /// <paramref name="maxPieceLength"/> characters or equal to a <paramref name="refusedPieces"/> entry are not made.
    /// Characters outside <paramref name="alphabet"/> never join a pair.
    /// </summary>
    public static List<string> Learn(IReadOnlyDictionary<string, long> wordCounts, IReadOnlyList<string> alphabet, int maxPieces,
        int maxPieceLength, IReadOnlySet<string> refusedPieces)
    {
        var learner = new BpeMergeLearner(wordCounts, alphabet);
        var pieces = new List<string>();
        int iteration = 0;
        while (pieces.Count < maxPieces && learner._queue.TryDequeue(out long pair, out var priority))
        {
            if (learner._pairCounts.GetValueOrDefault(pair) != priority.Count || learner._refusedPairs.Contains(pair)) continue;
            var (left, right) = ((int)(pair >> 32), (int)pair);
            string piece = learner._symbols[left] + learner._symbols[right];
            int length = learner._symbolLengths[left] + learner._symbolLengths[right];
            if (length > maxPieceLength || refusedPieces.Contains(piece))
            {
                learner._refusedPairs.Add(pair);
                learner._pairCounts.Remove(pair);
                continue;
            }
            // Another pair may already have made this piece ("ab"+"c" and "a"+"bc"); it is merged but not new.
            if (!learner._symbolIds.TryGetValue(piece, out int merged))
            {
                merged = learner.AddSymbol(piece, length);
                pieces.Add(piece);
            }
            learner.Merge(pair, left, right, merged, ++iteration);
        }
        return pieces;
    }

    private void Merge(long pair, int left, int right, int merged, int iteration)
    {
        var deltas = new Dictionary<long, long>();
        if (!_wordsWithPair.Remove(pair, out var words)) return;
        foreach (int word in words)
        {
            if (_lastVisit[word] == iteration) continue;
            _lastVisit[word] = iteration;
            var symbols = _words[word];
            int length = _wordLengths[word];
            long count = _wordCounts[word];
            for (int position = 0; position + 1 < length; position++) AddDelta(deltas, symbols[position], symbols[position + 1], -count);
            int written = 0;
            for (int read = 0; read < length;)
            {
                if (read + 1 < length && symbols[read] == left && symbols[read + 1] == right)
                {
                    symbols[written++] = merged;
                    read += 2;
                }
                else
                {
                    symbols[written++] = symbols[read++];
                }
            }
            _wordLengths[word] = written;
            for (int position = 0; position + 1 < written; position++)
            {
                AddDelta(deltas, symbols[position], symbols[position + 1], count);
                if ((symbols[position] == merged || symbols[position + 1] == merged) && PairKey(symbols[position], symbols[position + 1]) is long newPair)
                    WordsWithPair(newPair).Add(word);
            }
        }
        foreach (var (changed, delta) in deltas)
        {
            if (delta == 0 || _refusedPairs.Contains(changed)) continue;
            long total = _pairCounts.GetValueOrDefault(changed) + delta;
            if (total > 0)
            {
                _pairCounts[changed] = total;
                Enqueue(changed, total);
            }
            else
            {
                _pairCounts.Remove(changed);
            }
        }
    }

    private int[] Symbolize(string word)
    {
        var symbols = new List<int>(word.Length);
        for (int position = 0; position < word.Length;)
        {
            Rune.DecodeFromUtf16(word.AsSpan(position), out _, out int width);
            symbols.Add(_symbolIds.GetValueOrDefault(word.Substring(position, width), Uncovered));
            position += width;
        }
        return symbols.ToArray();
    }

    private int AddSymbol(string symbol, int length)
    {
        _symbolIds.Add(symbol, _symbols.Count);
        _symbols.Add(symbol);
        _symbolLengths.Add(length);
        return _symbols.Count - 1;
    }

    private List<int> WordsWithPair(long pair)
    {
        if (!_wordsWithPair.TryGetValue(pair, out var words)) _wordsWithPair[pair] = words = [];
        return words;
    }

    private static void AddDelta(Dictionary<long, long> deltas, int left, int right, long delta)
    {
        if (PairKey(left, right) is long pair) deltas[pair] = deltas.GetValueOrDefault(pair) + delta;
    }

    private static long? PairKey(int left, int right) =>
        left == Uncovered || right == Uncovered ? null : ((long)left << 32) | (uint)right;

    private void Enqueue(long pair, long count) => _queue.Enqueue(pair, (count, (int)(pair >> 32), (int)pair));

    private int ComparePriority((long Count, int Left, int Right) x, (long Count, int Left, int Right) y)
    {
        int order = y.Count.CompareTo(x.Count);
        if (order == 0) order = string.CompareOrdinal(_symbols[x.Left], _symbols[y.Left]);
        return order != 0 ? order : string.CompareOrdinal(_symbols[x.Right], _symbols[y.Right]);
    }
}
