using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SasDashboard.Steering.Tokenization;

/// <summary>Writes <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> in the layout transformers saves.</summary>
public static class TokenizerConfigWriter
{
    // Hugging Face writes '<' and '>' unescaped; so do we, to keep the files readable.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string directory, TokenizerConfig config)
    {
        Directory.CreateDirectory(directory);
        WriteJson(Path.Combine(directory, TokenizerFileNames.TokenizerConfig), json => WriteTokenizerConfig(json, config));
        WriteJson(Path.Combine(directory, TokenizerFileNames.SpecialTokensMap), json => WriteSpecialTokensMap(json, config));
    }

    private static void WriteTokenizerConfig(Utf8JsonWriter json, TokenizerConfig config)
    {
        json.WriteStartObject();
        if (config.AddBosToken is bool addBos) json.WriteBoolean("add_bos_token", addBos);
        json.WriteBoolean("add_eos_token", config.AddEosToken);
        json.WriteStartObject("added_tokens_decoder");
        foreach (var token in config.AddedTokens.OrderBy(token => token.Id))
        {
            json.WriteStartObject(token.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("content", token.Content);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("special", token.Special);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        WriteNamedTokens(json, config);
        if (config.ChatTemplate is not null) json.WriteString("chat_template", config.ChatTemplate);
        json.WriteBoolean("clean_up_tokenization_spaces", false);
        json.WriteEndObject();
    }

    private static void WriteSpecialTokensMap(Utf8JsonWriter json, TokenizerConfig config)
    {
        var named = new[] { config.BosToken, config.EosToken, config.PadToken, config.UnknownToken };
        json.WriteStartObject();
        json.WriteStartArray("additional_special_tokens");
        foreach (var token in config.AddedTokens.Where(token => token.Special && !named.Contains(token.Content)).OrderBy(token => token.Id))
            json.WriteStringValue(token.Content);
        json.WriteEndArray();
        WriteNamedTokens(json, config);
        json.WriteEndObject();
    }

    private static void WriteNamedTokens(Utf8JsonWriter json, TokenizerConfig config)
    {
        foreach (var (name, token) in new[]
                 {
                     ("bos_token", config.BosToken), ("eos_token", config.EosToken),
                     ("pad_token", config.PadToken), ("unk_token", config.UnknownToken),
                 })
            if (token is not null) json.WriteString(name, token);
    }

    private static void WriteJson(string path, Action<Utf8JsonWriter> write)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Options);
        write(json);
    }
}
