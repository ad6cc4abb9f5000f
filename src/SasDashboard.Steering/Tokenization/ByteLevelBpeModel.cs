namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// The parts of a byte-level BPE <c>tokenizer.json</c> (GPT-2, Llama 3) that decide tokenization. Tokens and merges are
/// written in the byte-level alphabet: the UTF-8 bytes of the text, each shown as one printable character (' ' is 'Ġ').
/// </summary>
public sealed record ByteLevelBpeModel
{
    /// <summary>Llama 3's pre-tokenizer regex: words with their leading space, numbers in groups of up to three digits.</summary>
    public const string Llama3SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The regex of GPT-2's ByteLevel pre-tokenizer (<c>use_regex: true</c>).</summary>
    public const string Gpt2SplitPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public required IReadOnlyDictionary<string, int> Vocabulary { get; init; }

    /// <summary>Merges in priority order: where several could apply, the earliest in this list is made first.</summary>
    public required IReadOnlyList<(string Left, string Right)> Merges { get; init; }

    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];

    /// <summary>
    /// Regexes that cut text into words before BPE, each applied to the pieces of the one before; text between matches
    /// is a word too (Hugging Face's Split pre-tokenizer with behavior Isolated, and ByteLevel's own regex).
    /// </summary>
    public IReadOnlyList<string> SplitPatterns { get; init; } = [Llama3SplitPattern];

    /// <summary>A word that is itself in the vocabulary becomes that one token, whatever the merges would make (Llama 3).</summary>
    public bool IgnoreMerges { get; init; } = true;

    /// <summary>The special token the post-processor puts before every encoding (Llama 3's &lt;|begin_of_text|&gt;), or null.</summary>
    public string? BosToken { get; init; }

    /// <summary>
    /// Builds a model from merges written as plain text (" t" rather than "Ġt"): ids 0–255 are the single bytes in byte
    /// order, then each merge's result in order, then the special tokens.
    /// </summary>
    public static ByteLevelBpeModel FromTextMerges(IEnumerable<(string Left, string Right)> textMerges,
        IEnumerable<string> specialTokens, string? bosToken = null)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int value = 0; value < 256; value++) vocabulary.Add(ByteLevelAlphabet.CharOf((byte)value).ToString(), value);
        var merges = new List<(string Left, string Right)>();
        foreach (var (leftText, rightText) in textMerges)
        {
            string left = ByteLevelAlphabet.Encode(leftText), right = ByteLevelAlphabet.Encode(rightText);
            foreach (var part in new[] { left, right })
                if (!vocabulary.ContainsKey(part)) throw new ArgumentException($"merge part '{part}' is not a token made by an earlier merge", nameof(textMerges));
            merges.Add((left, right));
            vocabulary.TryAdd(left + right, vocabulary.Count);
        }
        var added = specialTokens.Select((content, index) => new AddedToken(vocabulary.Count + index, content)).ToList();
        return new ByteLevelBpeModel { Vocabulary = vocabulary, Merges = merges, AddedTokens = added, BosToken = bosToken };
    }
}
