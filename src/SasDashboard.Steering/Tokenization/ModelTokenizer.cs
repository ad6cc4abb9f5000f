using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// The tokenizer of a Hugging Face model directory: a byte-level BPE <c>tokenizer.json</c> (Llama 3) or a
/// SentencePiece BPE <c>tokenizer.model</c> (Gemma, Llama 2), the special tokens its config files name, and the
/// prompt format its chat template uses.
/// </summary>
/// <remarks>
/// Which file: <c>tokenizer.json</c> when it is byte-level BPE, as Hugging Face would use it. When it is not (Gemma and
/// Llama 2 ship a Metaspace/byte-fallback conversion of their SentencePiece model) and <c>tokenizer.model</c> exists,
/// the SentencePiece model is read instead: it is the file the conversion was made from and tokenizes the same way.
/// A loaded tokenizer does not change and may be shared between threads.
/// </remarks>
public sealed class ModelTokenizer
{
    public const string SentencePieceKind = "sentencepiece";
    public const string ByteLevelBpeKind = "byte-level-bpe";

    // Turn terminators that end a chat answer, though configs often list only the base EOS.
    private static readonly string[] TurnEndTokens = ["<end_of_turn>", "<|eot_id|>"];

    private readonly ISubwordModel _model;
    private readonly Dictionary<int, AddedToken> _addedTokens;
    private readonly AddedTokenMatcher _matcher;
    private readonly int? _appendedEosId;

    private ModelTokenizer(ISubwordModel model, TokenizerSettings settings, PromptTemplate template)
    {
        _model = model;
        // The file's own added tokens, then tokenizer_config.json's added_tokens_decoder, which wins for the same id.
        _addedTokens = model.AddedTokens.Concat(settings.Config.AddedTokens).GroupBy(token => token.Id).ToDictionary(group => group.Key, group => group.Last());
        var idOfAddedToken = _addedTokens.Values.OrderBy(token => token.Id).DistinctBy(token => token.Content).ToDictionary(token => token.Content, token => token.Id);
        int? IdOf(string token) => idOfAddedToken.TryGetValue(token, out int id) || model.TryGetId(token, out id) ? id : null;
        // A named token comes from tokenizer_config.json / special_tokens_map.json, else config.json's id, else the tokenizer file.
        int? NamedTokenId(string role, string? configured, int? modelConfigId, string? fromFile) =>
            (configured ?? (modelConfigId is null ? fromFile : null)) is { } token
                ? IdOf(token) ?? throw new TokenizerException(settings.ConfigPath, $"{role} '{token}' is not in the vocabulary")
                : modelConfigId;

        BosId = NamedTokenId("bos_token", settings.Config.BosToken, settings.ModelBosId, model.BosToken);
        if (settings.Config.AddBosToken == true && BosId is null)
            throw new TokenizerException(settings.ConfigPath, "add_bos_token is true but the tokenizer has no BOS token");
        AddsBos = (settings.Config.AddBosToken ?? model.AddsBosByDefault) && BosId is not null;

        int? eosId = NamedTokenId("eos_token", settings.Config.EosToken, null, model.EosToken);
        EosIds = new[] { eosId }.OfType<int>().Concat(settings.ModelEosIds).Concat(settings.GenerationEosIds)
            .Concat(TurnEndTokens.Select(IdOf).OfType<int>()).Distinct().ToList();
        if (settings.Config.AddEosToken)
            _appendedEosId = eosId ?? throw new TokenizerException(settings.ConfigPath, "add_eos_token is true but the tokenizer has no EOS token");

        PadId = NamedTokenId("pad_token", settings.Config.PadToken, settings.ModelPadId, model.PadToken)
            ?? (EosIds.Count > 0 ? EosIds[0] : throw new TokenizerException(settings.ConfigPath, "the tokenizer has neither a pad nor an EOS token"));

        // The named tokens are special wherever they live (Hugging Face's all_special_ids): matched whole, skipped on decode.
        int? unknownId = settings.Config.UnknownToken is { } unknown ? IdOf(unknown) : null;
        foreach (int id in new[] { BosId, eosId, PadId, unknownId }.OfType<int>())
            if (_addedTokens.TryGetValue(id, out var token) ? !token.Special : model.TryGetPiece(id, out _))
                _addedTokens[id] = new AddedToken(id, TokenText(id), Special: true);

        _matcher = new AddedTokenMatcher(_addedTokens.Values);
        VocabularySize = Math.Max(model.Count, _addedTokens.Count == 0 ? 0 : _addedTokens.Keys.Max() + 1);
        Template = template;
    }

    /// <summary>"sentencepiece" or "byte-level-bpe".</summary>
    public string Kind => _model.Kind;

    /// <summary>The BOS token's id, or null when the model has none.</summary>
    public int? BosId { get; }

    /// <summary>Whether <see cref="Encode"/> puts BOS first (tokenizer_config's add_bos_token, else the tokenizer file's rule).</summary>
    public bool AddsBos { get; }

    /// <summary>Every id that ends generation: the tokenizer's EOS, config.json's and generation_config.json's, and the turn-end tokens.</summary>
    public IReadOnlyList<int> EosIds { get; }

    /// <summary>The pad token (tokenizer config, else config.json's pad_token_id, else the tokenizer file's), else the first EOS.</summary>
    public int PadId { get; }

    public int VocabularySize { get; }
    public PromptTemplate Template { get; }

    /// <summary>Loads the tokenizer of a model directory; <paramref name="template"/> overrides the one its chat template implies.</summary>
    public static ModelTokenizer Load(string modelDirectory, PromptTemplate? template = null)
    {
        if (!Directory.Exists(modelDirectory)) throw new TokenizerException(modelDirectory, "model directory not found");
        var model = LoadSubwordModel(modelDirectory);
        var settings = TokenizerSettings.Read(modelDirectory);
        return new ModelTokenizer(model, settings, template ?? PromptTemplate.ForChatTemplate(settings.Config.ChatTemplate));
    }

    /// <summary>
    /// The token ids of <paramref name="text"/>. Added tokens written in the text (e.g. "&lt;start_of_turn&gt;") become
    /// their single ids. With <paramref name="addBos"/> the tokens the config asks for are added: BOS when
    /// <see cref="AddsBos"/>, and EOS at the end for the rare tokenizers whose config sets add_eos_token.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addBos = true) => EncodeWithOffsets(text, addBos).Select(span => span.Id).ToArray();

    /// <summary>As <see cref="Encode"/>, with the characters of <paramref name="text"/> each token stands for.</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text, bool addBos = true)
    {
        var spans = new List<TokenSpan>();
        if (addBos && AddsBos) spans.Add(new TokenSpan(BosId!.Value, 0, 0));
        foreach (var piece in _matcher.Split(text))
        {
            if (piece.AddedTokenId is int id) spans.Add(new TokenSpan(id, piece.Start, piece.Start + piece.Length));
            else _model.Encode(text, piece.Start, piece.Length, spans);
        }
        if (addBos && _appendedEosId is int eos) spans.Add(new TokenSpan(eos, text.Length, text.Length));
        return spans;
    }

    /// <summary>The index in <paramref name="spans"/> of the first token that covers character <paramref name="charIndex"/>.</summary>
    public static int TokenIndexAtCharacter(IReadOnlyList<TokenSpan> spans, int charIndex)
    {
        for (int index = 0; index < spans.Count; index++)
            if (spans[index].Start <= charIndex && charIndex < spans[index].End) return index;
        throw new ArgumentOutOfRangeException(nameof(charIndex), charIndex, "no token covers this character");
    }

    /// <summary>
    /// The text of the ids; bytes split across tokens are joined before UTF-8 decoding, and invalid sequences become
    /// U+FFFD. Ids outside the vocabulary are skipped, as Hugging Face does.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (_addedTokens.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special) continue;
                FlushBytes(text, bytes);
                text.Append(added.Content);
            }
            else
            {
                _model.AppendBytes(id, bytes);
            }
        }
        FlushBytes(text, bytes);
        return _model.FinishDecoding(text.ToString());
    }

    /// <summary>The token as the vocabulary writes it: "▁the" (SentencePiece), "Ġthe" (byte-level BPE), "&lt;bos&gt;".</summary>
    public string TokenText(int id) =>
        _addedTokens.TryGetValue(id, out var added) ? added.Content
        : _model.TryGetPiece(id, out var piece) ? piece
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"not a token id of this {VocabularySize}-token vocabulary");

    private static ISubwordModel LoadSubwordModel(string directory)
    {
        string jsonPath = Path.Combine(directory, TokenizerFileNames.TokenizerJson);
        string sentencePiecePath = Path.Combine(directory, TokenizerFileNames.SentencePieceModel);
        bool hasSentencePiece = File.Exists(sentencePiecePath);
        if (File.Exists(jsonPath))
        {
            using var document = JsonFile.Read(jsonPath);
            if (!hasSentencePiece || TokenizerJsonReader.IsByteLevel(document.RootElement))
                return ByteLevelBpeSubwordModel.Create(TokenizerJsonReader.Read(document.RootElement, jsonPath), jsonPath);
        }
        if (!hasSentencePiece)
            throw new TokenizerException(directory,
                $"no tokenizer file: expected {TokenizerFileNames.TokenizerJson} or {TokenizerFileNames.SentencePieceModel}");
        return SentencePieceSubwordModel.Load(sentencePiecePath);
    }

    private static void FlushBytes(StringBuilder text, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }
}
