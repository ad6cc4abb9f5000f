using System.Globalization;
using System.Text.Json;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// What a model directory's JSON files say about tokenization around the vocabulary: <c>tokenizer_config.json</c>
/// (wins where it names a token), <c>special_tokens_map.json</c>, <c>config.json</c> and <c>generation_config.json</c>.
/// Every file is optional.
/// </summary>
internal sealed record TokenizerSettings
{
    /// <summary>The special tokens and chat template, as the tokenizer's own files state them.</summary>
    public TokenizerConfig Config { get; init; } = new();
    public int? ModelBosId { get; init; }
    public IReadOnlyList<int> ModelEosIds { get; init; } = [];
    public int? ModelPadId { get; init; }
    public IReadOnlyList<int> GenerationEosIds { get; init; } = [];

    /// <summary>The file a problem with the special tokens is reported against.</summary>
    public required string ConfigPath { get; init; }

    public static TokenizerSettings Read(string directory)
    {
        string configPath = Path.Combine(directory, TokenizerFileNames.TokenizerConfig);
        var settings = new TokenizerSettings { ConfigPath = configPath };
        settings = WithFile(Path.Combine(directory, TokenizerFileNames.SpecialTokensMap), settings, ReadNamedTokens);
        settings = WithFile(configPath, settings, ReadTokenizerConfig);
        settings = WithFile(Path.Combine(directory, TokenizerFileNames.ModelConfig), settings, (root, path, current) => current with
        {
            ModelBosId = root.IntField("bos_token_id", path),
            ModelEosIds = root.IntListField("eos_token_id", path),
            ModelPadId = root.IntField("pad_token_id", path),
        });
        settings = WithFile(Path.Combine(directory, TokenizerFileNames.GenerationConfig), settings, (root, path, current) => current with
        {
            GenerationEosIds = root.IntListField("eos_token_id", path),
        });
        string jinjaPath = Path.Combine(directory, TokenizerFileNames.ChatTemplate);
        if (settings.Config.ChatTemplate is null && File.Exists(jinjaPath))
            settings = settings with { Config = settings.Config with { ChatTemplate = File.ReadAllText(jinjaPath) } };
        return settings;
    }

    private static TokenizerSettings WithFile(string path, TokenizerSettings settings,
        Func<JsonElement, string, TokenizerSettings, TokenizerSettings> read)
    {
        using var document = JsonFile.ReadIfPresent(path);
        return document is null ? settings : read(document.RootElement, path, settings);
    }

    private static TokenizerSettings ReadTokenizerConfig(JsonElement root, string path, TokenizerSettings settings)
    {
        var added = new List<AddedToken>();
        if (root.ObjectField("added_tokens_decoder", path) is { } decoder)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                    throw new TokenizerException(path, $"added_tokens_decoder key '{entry.Name}' is not a token id");
                string content = entry.Value.StringField("content", path)
                    ?? throw new TokenizerException(path, $"added_tokens_decoder entry {id} has no content");
                added.Add(new AddedToken(id, content, entry.Value.BoolField("special", path) ?? false));
            }
        }
        var named = ReadNamedTokens(root, path, settings);
        return named with
        {
            Config = named.Config with
            {
                AddBosToken = root.BoolField("add_bos_token", path) ?? settings.Config.AddBosToken,
                AddEosToken = root.BoolField("add_eos_token", path) ?? settings.Config.AddEosToken,
                AddedTokens = added,
                ChatTemplate = ReadChatTemplate(root, path),
            },
        };
    }

    /// <summary>Token names written as a string or as a serialized AddedToken object; later files override earlier ones.</summary>
    private static TokenizerSettings ReadNamedTokens(JsonElement root, string path, TokenizerSettings settings) => settings with
    {
        Config = settings.Config with
        {
            BosToken = TokenContent(root, "bos_token", path) ?? settings.Config.BosToken,
            EosToken = TokenContent(root, "eos_token", path) ?? settings.Config.EosToken,
            PadToken = TokenContent(root, "pad_token", path) ?? settings.Config.PadToken,
            UnknownToken = TokenContent(root, "unk_token", path) ?? settings.Config.UnknownToken,
        },
    };

    private static string? TokenContent(JsonElement root, string name, string path) => root.Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Object } value => value.StringField("content", path),
        { } value => throw JsonFile.WrongType(path, name, "a token string or object", value),
    };

    /// <summary>A template string, or a list of named templates of which "default" (else the first) is the chat one.</summary>
    private static string? ReadChatTemplate(JsonElement root, string path)
    {
        if (root.Field("chat_template") is not { ValueKind: JsonValueKind.Array }) return root.StringField("chat_template", path);
        var named = root.ArrayField("chat_template", path)
            .Select(entry => (Name: entry.StringField("name", path), Template: entry.StringField("template", path)))
            .ToList();
        return (named.FirstOrDefault(entry => entry.Name == "default").Template ?? named.FirstOrDefault().Template);
    }
}
