using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Trains a SentencePiece BPE tokenizer with Gemma's layout: pad 0, eos 1, bos 2, unk 3, the additional special
/// tokens, the 256 byte-fallback pieces, the merged pieces (score -i for the i-th merge, so SentencePiece replays
/// them in training order) and finally the single characters. Save it with
/// <see cref="SentencePieceModelWriter.WriteTokenizerDirectory"/>; <see cref="ModelTokenizer.Load"/> reads it back.
/// The same texts and options always give the same model.
/// </summary>
public static class BpeTrainer
{
    public static SentencePieceModel Train(IEnumerable<string> texts, BpeTrainerOptions options)
    {
        var specialTokens = new[] { options.PadToken, options.EosToken, options.BosToken, options.UnknownToken }
            .Concat(options.AdditionalSpecialTokens).ToList();
        CheckOptions(options, specialTokens);

        var wordCounts = TrainingWords.Count(texts, specialTokens);
        var alphabet = ChooseAlphabet(wordCounts, options.CharacterCoverage);
        int reservedCount = specialTokens.Count + 256;
        int mergeBudget = options.VocabularySize - reservedCount - alphabet.Count;
        if (mergeBudget < 0)
            throw new ArgumentException(
                $"a vocabulary of {options.VocabularySize} cannot hold the {reservedCount} special and byte pieces and the {alphabet.Count} characters this text needs",
                nameof(options));

        var bytePieces = Enumerable.Range(0, 256).Select(SentencePiece.ByteName).ToList();
        var merged = BpeMergeLearner.Learn(wordCounts, alphabet, mergeBudget, options.MaxPieceLength,
            specialTokens.Concat(bytePieces).ToHashSet(StringComparer.Ordinal));

        var pieces = new List<SentencePiece>
        {
            new(options.PadToken, 0, SentencePieceType.Control),
            new(options.EosToken, 0, SentencePieceType.Control),
            new(options.BosToken, 0, SentencePieceType.Control),
            new(options.UnknownToken, 0, SentencePieceType.Unknown),
        };
        pieces.AddRange(options.AdditionalSpecialTokens.Select(token => new SentencePiece(token, 0, SentencePieceType.UserDefined)));
        pieces.AddRange(bytePieces.Select(name => new SentencePiece(name, 0, SentencePieceType.Byte)));
        pieces.AddRange(merged.Select((piece, index) => new SentencePiece(piece, -index)));
        pieces.AddRange(alphabet.Select((symbol, index) => new SentencePiece(symbol, -(merged.Count + index))));
        return new SentencePieceModel { Pieces = pieces, PadId = 0, EosId = 1, BosId = 2, UnknownId = 3 };
    }

    /// <summary>The most frequent characters until <paramref name="coverage"/> of all occurrences are covered.</summary>
    private static List<string> ChooseAlphabet(Dictionary<string, long> wordCounts, double coverage)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        long total = 0;
        foreach (var (word, count) in wordCounts)
        {
            for (int position = 0; position < word.Length;)
            {
                Rune.DecodeFromUtf16(word.AsSpan(position), out _, out int width);
                var symbol = word.AsSpan(position, width);
                lookup[symbol] = lookup.TryGetValue(symbol, out long seen) ? seen + count : count;
                total += count;
                position += width;
            }
        }
        var alphabet = new List<string>();
        long covered = 0;
        foreach (var (symbol, count) in counts.OrderByDescending(entry => entry.Value).ThenBy(entry => entry.Key, StringComparer.Ordinal))
        {
            if (covered >= coverage * total) break;
            alphabet.Add(symbol);
            covered += count;
        }
        return alphabet;
    }

    private static void CheckOptions(BpeTrainerOptions options, List<string> specialTokens)
    {
        if (specialTokens.Any(string.IsNullOrEmpty)) throw new ArgumentException("special tokens must not be empty", nameof(options));
        if (specialTokens.Distinct(StringComparer.Ordinal).Count() != specialTokens.Count)
            throw new ArgumentException("special tokens must be distinct", nameof(options));
        if (options.MaxPieceLength < 2) throw new ArgumentException("MaxPieceLength must be at least 2", nameof(options));
        if (options.CharacterCoverage is <= 0 or > 1) throw new ArgumentException("CharacterCoverage must be in (0, 1]", nameof(options));
    }
}
