namespace SasDashboard.Steering.Tokenization;

/// <summary>The files of a Hugging Face model directory that describe its tokenizer.</summary>
public static class TokenizerFileNames
{
    public const string TokenizerJson = "tokenizer.json";
    public const string SentencePieceModel = "tokenizer.model";
    public const string TokenizerConfig = "tokenizer_config.json";
    public const string SpecialTokensMap = "special_tokens_map.json";
    public const string GenerationConfig = "generation_config.json";
    public const string ModelConfig = "config.json";

    /// <summary>Where newer transformers versions save the chat template instead of inside tokenizer_config.json.</summary>
    public const string ChatTemplate = "chat_template.jinja";
}
