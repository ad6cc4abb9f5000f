namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Finds added tokens written in text, leftmost-longest like Hugging Face's added vocabulary, so that
/// "&lt;|eot_id|&gt;" wins over a shorter token that is its prefix. The text between matches is left to the subword model.
/// </summary>
internal sealed class AddedTokenMatcher
{
    /// <summary>A run of text: an added token when <paramref name="AddedTokenId"/> is set, else ordinary text.</summary>
    public readonly record struct Piece(int Start, int Length, int? AddedTokenId);

    // Candidates grouped by first character, longest first, so the first hit at a position is the longest.
    private readonly Dictionary<char, AddedToken[]> _candidatesByFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _candidatesByFirstChar = tokens
            .Where(token => token.Content.Length > 0)
            .DistinctBy(token => token.Content)
            .GroupBy(token => token.Content[0])
            .ToDictionary(group => group.Key,
                group => group.OrderByDescending(token => token.Content.Length).ThenBy(token => token.Content, StringComparer.Ordinal).ToArray());
    }

    public List<Piece> Split(string text)
    {
        var pieces = new List<Piece>();
        int plainStart = 0;
        int position = 0;
        while (position < text.Length)
        {
            if (MatchAt(text, position) is { } token)
            {
                if (position > plainStart) pieces.Add(new Piece(plainStart, position - plainStart, null));
                pieces.Add(new Piece(position, token.Content.Length, token.Id));
                position += token.Content.Length;
                plainStart = position;
            }
            else
            {
                position++;
            }
        }
        if (plainStart < text.Length) pieces.Add(new Piece(plainStart, text.Length - plainStart, null));
        return pieces;
    }

    private AddedToken? MatchAt(string text, int position)
    {
        if (!_candidatesByFirstChar.TryGetValue(text[position], out var candidates)) return null;
        var rest = text.AsSpan(position);
        foreach (var candidate in candidates)
            if (rest.StartsWith(candidate.Content, StringComparison.Ordinal)) return candidate;
        return null;
    }
}
