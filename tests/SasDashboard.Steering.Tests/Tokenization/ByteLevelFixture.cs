using SasDashboard.Steering.Tokenization;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

/// <summary>
/// A small byte-level BPE tokenizer.json laid out like Llama 3's: ids 0–255 are the bytes, 256–261 the merges below,
/// 262–266 the special tokens, and a post-processor that puts &lt;|begin_of_text|&gt; first.
/// </summary>
internal static class ByteLevelFixture
{
    public const int He = 256, SpaceW = 257, Ll = 258, Hell = 259, Hello = 260, SpaceWo = 261;
    public const int BeginOfText = 262, EndOfText = 263, StartHeader = 264, EndHeader = 265, EndOfTurn = 266;

    public static readonly (string Left, string Right)[] Merges =
        [("h", "e"), (" ", "w"), ("l", "l"), ("he", "ll"), ("hell", "o"), (" w", "o")];

    public static readonly string[] SpecialTokens =
        ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];

    public static ByteLevelBpeModel Create() => ByteLevelBpeModel.FromTextMerges(Merges, SpecialTokens, bosToken: "<|begin_of_text|>");

    /// <summary>Writes tokenizer.json and a Llama 3 style tokenizer_config.json (no add_bos_token) and loads them.</summary>
    public static ModelTokenizer Load(TempDirectory directory, ByteLevelBpeModel? model = null)
    {
        model ??= Create();
        TokenizerJsonWriter.Write(directory.File(TokenizerFileNames.TokenizerJson), model);
        TokenizerConfigWriter.Write(directory.Path, new TokenizerConfig
        {
            BosToken = "<|begin_of_text|>",
            EosToken = "<|end_of_text|>",
            AddedTokens = model.AddedTokens,
            ChatTemplate = PromptTemplate.Llama3.ChatTemplate,
        });
        return ModelTokenizer.Load(directory.Path);
    }

    /// <summary>The id of a single byte's token: the byte itself.</summary>
    public static int Byte(char character) => character;
}
