using System.Text.Encodings.Web;
using System.Text.Json;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Writes a byte-level BPE <c>tokenizer.json</c> laid out like Llama 3's: added tokens, Split + ByteLevel
/// pre-tokenizers, a TemplateProcessing post-processor that puts the BOS token first, a ByteLevel decoder.
/// </summary>
public static class TokenizerJsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, ByteLevelBpeModel model)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Options);
        json.WriteStartObject();
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");
        WriteAddedTokens(json, model.AddedTokens);
        json.WriteNull("normalizer");
        WritePreTokenizer(json, model.SplitPatterns);
        WritePostProcessor(json, model);
        json.WriteStartObject("decoder");
        WriteByteLevelOptions(json, addPrefixSpace: true, useRegex: true);
        json.WriteEndObject();
        WriteModel(json, model);
        json.WriteEndObject();
    }

    private static void WriteAddedTokens(Utf8JsonWriter json, IReadOnlyList<AddedToken> addedTokens)
    {
        json.WriteStartArray("added_tokens");
        foreach (var token in addedTokens.OrderBy(token => token.Id))
        {
            json.WriteStartObject();
            json.WriteNumber("id", token.Id);
            json.WriteString("content", token.Content);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", token.Special);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WritePreTokenizer(Utf8JsonWriter json, IReadOnlyList<string> splitPatterns)
    {
        json.WriteStartObject("pre_tokenizer");
        json.WriteString("type", "Sequence");
        json.WriteStartArray("pretokenizers");
        foreach (var pattern in splitPatterns)
        {
            json.WriteStartObject();
            json.WriteString("type", "Split");
            json.WriteStartObject("pattern");
            json.WriteString("Regex", pattern);
            json.WriteEndObject();
            json.WriteString("behavior", "Isolated");
            json.WriteBoolean("invert", false);
            json.WriteEndObject();
        }
        json.WriteStartObject();
        WriteByteLevelOptions(json, addPrefixSpace: false, useRegex: false);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteByteLevelOptions(Utf8JsonWriter json, bool addPrefixSpace, bool useRegex)
    {
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", useRegex);
    }

    private static void WritePostProcessor(Utf8JsonWriter json, ByteLevelBpeModel model)
    {
        if (model.BosToken is not { } bos)
        {
            json.WriteNull("post_processor");
            return;
        }
        int bosId = model.AddedTokens.FirstOrDefault(token => token.Content == bos)?.Id
            ?? (model.Vocabulary.TryGetValue(bos, out int id) ? id : throw new ArgumentException($"BOS token '{bos}' is not in the model", nameof(model)));
        json.WriteStartObject("post_processor");
        json.WriteString("type", "TemplateProcessing");
        json.WriteStartArray("single");
        WriteTemplateItem(json, "SpecialToken", bos, 0);
        WriteTemplateItem(json, "Sequence", "A", 0);
        json.WriteEndArray();
        json.WriteStartArray("pair");
        WriteTemplateItem(json, "SpecialToken", bos, 0);
        WriteTemplateItem(json, "Sequence", "A", 0);
        WriteTemplateItem(json, "SpecialToken", bos, 1);
        WriteTemplateItem(json, "Sequence", "B", 1);
        json.WriteEndArray();
        json.WriteStartObject("special_tokens");
        json.WriteStartObject(bos);
        json.WriteString("id", bos);
        json.WriteStartArray("ids");
        json.WriteNumberValue(bosId);
        json.WriteEndArray();
        json.WriteStartArray("tokens");
        json.WriteStringValue(bos);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTemplateItem(Utf8JsonWriter json, string kind, string id, int typeId)
    {
        json.WriteStartObject();
        json.WriteStartObject(kind);
        json.WriteString("id", id);
        json.WriteNumber("type_id", typeId);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter json, ByteLevelBpeModel model)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", model.IgnoreMerges);
        json.WriteStartObject("vocab");
        foreach (var (token, id) in model.Vocabulary.OrderBy(entry => entry.Value)) json.WriteNumber(token, id);
        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in model.Merges) json.WriteStringValue($"{left} {right}");
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
