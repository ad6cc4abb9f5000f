namespace SasDashboard.Steering.Tokenization;

/// <summary>What <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> say about a tokenizer's special tokens.</summary>
public sealed record TokenizerConfig
{
    /// <summary>Left out of the file when null, so the tokenizer file's own rule applies (Llama 3's post-processor).</summary>
    public bool? AddBosToken { get; init; }

    public bool AddEosToken { get; init; }
    public string? BosToken { get; init; }
    public string? EosToken { get; init; }
    public string? PadToken { get; init; }
    public string? UnknownToken { get; init; }

    /// <summary>Written as <c>added_tokens_decoder</c>.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];

    public string? ChatTemplate { get; init; }
}
