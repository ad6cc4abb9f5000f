using System.Buffers;
using System.Globalization;
using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Cuts training text into the words BPE merges within, and counts them, so merging works on distinct words instead
/// of rescanning the text. Spaces become '▁' and start a word (SentencePiece's split_by_whitespace); letters,
/// punctuation and line breaks do not share a word; every digit is a word of its own (split_digits, as Gemma does).
/// Special tokens written in the text are left out.
/// </summary>
internal static class TrainingWords
{
    public const char SpaceSymbol = '\u2581';

    private enum CharClass { None, Space, Digit, Letter, Whitespace, Other }

    public static Dictionary<string, long> Count(IEnumerable<string> texts, IReadOnlyList<string> specialTokens)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var matcher = new AddedTokenMatcher(specialTokens.Select((token, index) => new AddedToken(index, token)));
        foreach (string text in texts)
            foreach (var piece in matcher.Split(text))
                if (piece.AddedTokenId is null) CountSegment(text.AsSpan(piece.Start, piece.Length), counts);
        return counts;
    }

    private static void CountSegment(ReadOnlySpan<char> segment, Dictionary<string, long> counts)
    {
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        char[] buffer = ArrayPool<char>.Shared.Rent(segment.Length);
        try
        {
            var text = buffer.AsSpan(0, segment.Length);
            segment.CopyTo(text);
            text.Replace(' ', SpaceSymbol);
            int wordStart = 0;
            var body = CharClass.None;
            int position = 0;
            while (position < text.Length)
            {
                Rune.DecodeFromUtf16(text[position..], out var rune, out int width);
                var charClass = Classify(rune);
                bool continuesWord = charClass is not (CharClass.Space or CharClass.Digit) && (body == CharClass.None || body == charClass);
                if (!continuesWord && position > wordStart)
                {
                    Add(lookup, text[wordStart..position]);
                    wordStart = position;
                }
                body = charClass == CharClass.Space ? CharClass.None : charClass;
                position += width;
            }
            if (position > wordStart) Add(lookup, text[wordStart..position]);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static void Add(Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> word)
    {
        lookup.TryGetValue(word, out long count);
        lookup[word] = count + 1;
    }

    private static CharClass Classify(Rune rune)
    {
        if (rune.Value == SpaceSymbol) return CharClass.Space;
        if (Rune.IsDigit(rune)) return CharClass.Digit;
        if (Rune.IsLetter(rune)) return CharClass.Letter;
        if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            return CharClass.Letter;
        return Rune.IsWhiteSpace(rune) ? CharClass.Whitespace : CharClass.Other;
    }
}
