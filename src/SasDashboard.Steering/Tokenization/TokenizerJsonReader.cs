using System.Text.Json;
using System.Text.RegularExpressions;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> into a <see cref="ByteLevelBpeModel"/>. Only the byte-level BPE family
/// (no normalizer, Split/ByteLevel pre-tokenizers) is supported; anything else is refused with the reason.
/// </summary>
internal static class TokenizerJsonReader
{
    private const string Supported =
        "only byte-level BPE tokenizer.json (GPT-2, Llama 3) and SentencePiece BPE tokenizer.model (Gemma, Llama 2) are supported";

    /// <summary>Whether the pre-tokenizer works on bytes; SentencePiece conversions (Gemma, Llama 2) use Metaspace instead.</summary>
    public static bool IsByteLevel(JsonElement root) => PreTokenizerSteps(root.Field("pre_tokenizer")).Any(step => step.Field("type") is
        { ValueKind: JsonValueKind.String } type && type.GetString() == "ByteLevel");

    public static ByteLevelBpeModel Read(JsonElement root, string path)
    {
        var model = root.ObjectField("model", path) ?? throw new TokenizerException(path, "no 'model' section");
        // Old files leave out the model type; Hugging Face then takes a model with merges for BPE.
        string type = model.StringField("type", path) ?? (model.Field("merges") is null ? "(none)" : "BPE");
        if (type != "BPE") throw new TokenizerException(path, $"unsupported tokenizer model type '{type}': {Supported}");
        if (root.Field("normalizer") is { } normalizer)
            throw new TokenizerException(path, $"unsupported normalizer '{normalizer.StringField("type", path)}': {Supported}");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (!string.IsNullOrEmpty(model.StringField(affix, path)))
                throw new TokenizerException(path, $"unsupported BPE option '{affix}': {Supported}");

        return new ByteLevelBpeModel
        {
            Vocabulary = ReadVocabulary(model, path),
            Merges = ReadMerges(model, path),
            AddedTokens = ReadAddedTokens(root, path),
            SplitPatterns = ReadSplitPatterns(root, path),
            IgnoreMerges = model.BoolField("ignore_merges", path) ?? false,
            BosToken = ReadBosToken(root.Field("post_processor"), path),
        };
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement model, string path)
    {
        var vocabulary = model.ObjectField("vocab", path) ?? throw new TokenizerException(path, "the BPE model has no 'vocab'");
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabulary.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw JsonFile.WrongType(path, $"vocab[{entry.Name}]", "a token id", entry.Value);
            tokens[entry.Name] = id;
        }
        return tokens;
    }

    /// <summary>Merges are "left right" strings in older files and [left, right] pairs in newer ones.</summary>
    private static List<(string Left, string Right)> ReadMerges(JsonElement model, string path)
    {
        var merges = new List<(string Left, string Right)>();
        foreach (var merge in model.ArrayField("merges", path))
        {
            string[]? parts = merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!.Split(' '),
                JsonValueKind.Array when merge.EnumerateArray().All(part => part.ValueKind == JsonValueKind.String) =>
                    merge.EnumerateArray().Select(part => part.GetString()!).ToArray(),
                _ => null,
            };
            if (parts is not [{ Length: > 0 } left, { Length: > 0 } right])
                throw JsonFile.WrongType(path, $"merges[{merges.Count}]", "two tokens", merge);
            merges.Add((left, right));
        }
        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path) => root.ArrayField("added_tokens", path)
        .Select((token, index) => new AddedToken(
            token.IntField("id", path) ?? throw new TokenizerException(path, $"added_tokens[{index}] has no id"),
            token.StringField("content", path) ?? throw new TokenizerException(path, $"added_tokens[{index}] has no content"),
            token.BoolField("special", path) ?? false))
        .ToList();

    private static List<string> ReadSplitPatterns(JsonElement root, string path)
    {
        var steps = PreTokenizerSteps(root.Field("pre_tokenizer")).ToList();
        var patterns = new List<string>();
        for (int index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            switch (step.StringField("type", path))
            {
                case "Split":
                    patterns.Add(ReadSplitPattern(step, path));
                    break;
                // ByteLevel turns text into byte symbols, so a regex after it would see bytes instead of characters.
                case "ByteLevel" when index != steps.Count - 1:
                    throw new TokenizerException(path, $"unsupported pre-tokenizer order: ByteLevel must come last; {Supported}");
                case "ByteLevel":
                    // Hugging Face's default for a missing add_prefix_space is true.
                    if (step.BoolField("add_prefix_space", path) ?? true)
                        throw new TokenizerException(path, $"unsupported ByteLevel option add_prefix_space: {Supported}");
                    if (step.BoolField("use_regex", path) ?? true) patterns.Add(ByteLevelBpeModel.Gpt2SplitPattern);
                    break;
                case var other:
                    throw new TokenizerException(path, $"unsupported pre-tokenizer '{other}': {Supported}");
            }
        }
        if (steps.Count == 0 || steps[^1].StringField("type", path) != "ByteLevel")
            throw new TokenizerException(path,
                $"BPE without a ByteLevel pre-tokenizer is not supported (a SentencePiece-style tokenizer.json needs the model's tokenizer.model next to it); {Supported}");
        return patterns;
    }

    private static string ReadSplitPattern(JsonElement split, string path)
    {
        if (split.StringField("behavior", path) is var behavior and not "Isolated")
            throw new TokenizerException(path, $"unsupported Split behavior '{behavior}': {Supported}");
        if (split.BoolField("invert", path) == true) throw new TokenizerException(path, $"unsupported Split option invert: {Supported}");
        var pattern = split.ObjectField("pattern", path) ?? throw new TokenizerException(path, "a Split pre-tokenizer has no pattern");
        return pattern.StringField("Regex", path)
            ?? (pattern.StringField("String", path) is { } literal ? Regex.Escape(literal) : null)
            ?? throw new TokenizerException(path, "a Split pattern is neither Regex nor String");
    }

    private static IEnumerable<JsonElement> PreTokenizerSteps(JsonElement? preTokenizer) => preTokenizer switch
    {
        null => [],
        { } sequence when sequence.Field("pretokenizers") is { ValueKind: JsonValueKind.Array } steps => steps.EnumerateArray(),
        { } single => [single],
    };

    /// <summary>The special token a TemplateProcessing post-processor writes before a single sequence, if any.</summary>
    private static string? ReadBosToken(JsonElement? postProcessor, string path)
    {
        if (postProcessor is not { } processor) return null;
        if (processor.Field("processors") is { ValueKind: JsonValueKind.Array } processors)
            return processors.EnumerateArray().Select(inner => ReadBosToken(inner, path)).FirstOrDefault(token => token is not null);
        if (processor.StringField("type", path) != "TemplateProcessing") return null;
        var first = processor.ArrayField("single", path).FirstOrDefault();
        return first.ValueKind == JsonValueKind.Object && first.ObjectField("SpecialToken", path) is { } special
            ? special.StringField("id", path)
            : null;
    }
}
