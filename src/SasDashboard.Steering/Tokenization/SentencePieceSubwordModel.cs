using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// A SentencePiece BPE <c>tokenizer.model</c>. Normalization (spaces as '▁', the dummy prefix) is done here so that
/// offsets point into the caller's text and the dummy prefix goes only before the start of the input, as Hugging
/// Face's Metaspace pre-tokenizer (prepend_scheme "first") does; segmentation is <see cref="SentencePieceBpeSegmenter"/>.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' <c>SentencePieceTokenizer</c> (2.0.1) is not used to segment: among pairs of equal score it
/// joins the rightmost first where SentencePiece joins the leftmost, so runs of a repeated character ("----", "lll")
/// come out differently from sentencepiece and Hugging Face. It does load the files this project writes
/// (<see cref="SentencePieceModelWriter"/>).
/// </remarks>
internal sealed class SentencePieceSubwordModel : ISubwordModel
{
    private const char SpaceSymbol = '\u2581';

    private readonly SentencePieceModel _model;
    private readonly SentencePieceBpeSegmenter _segmenter;

    private SentencePieceSubwordModel(SentencePieceModel model)
    {
        _model = model;
        _segmenter = new SentencePieceBpeSegmenter(model);
        AddedTokens = model.Pieces
            .Select((piece, id) => (piece, id))
            .Where(entry => entry.piece.Type is SentencePieceType.Control or SentencePieceType.Unknown or SentencePieceType.UserDefined)
            .Select(entry => new AddedToken(entry.id, entry.piece.Piece, Special: entry.piece.Type != SentencePieceType.UserDefined))
            .ToList();
    }

    public string Kind => ModelTokenizer.SentencePieceKind;
    public int Count => _model.Pieces.Count;
    public IReadOnlyList<AddedToken> AddedTokens { get; }
    public string? BosToken => PieceOrNull(_model.BosId);

    // Hugging Face's SentencePiece tokenizers (Llama, Gemma) default to add_bos_token = true.
    public bool AddsBosByDefault => true;

    public string? EosToken => PieceOrNull(_model.EosId);
    public string? PadToken => PieceOrNull(_model.PadId);

    public static SentencePieceSubwordModel Load(string path)
    {
        var model = SentencePieceModelReader.Read(File.ReadAllBytes(path), path);
        CheckSupported(model, path);
        return new SentencePieceSubwordModel(model);
    }

    public bool TryGetPiece(int id, [NotNullWhen(true)] out string? piece)
    {
        piece = (uint)id < (uint)_model.Pieces.Count ? _model.Pieces[id].Piece : null;
        return piece is not null;
    }

    public bool TryGetId(string piece, out int id) => _segmenter.TryGetId(piece, out id);

    public void Encode(string text, int start, int length, List<TokenSpan> output)
    {
        int prefix = _model.AddDummyPrefix && start == 0 && text[0] is not (' ' or SpaceSymbol) ? 1 : 0;
        var normalized = new StringBuilder(length + prefix);
        if (prefix == 1) normalized.Append(SpaceSymbol);
        normalized.Append(text, start, length);
        if (_model.EscapeWhitespaces) normalized.Replace(' ', SpaceSymbol, prefix, length);

        var pieces = new List<TokenSpan>();
        _segmenter.Segment(normalized.ToString(), pieces);
        // The dummy prefix stands for no character of the input; a piece made of it alone gets an empty range.
        foreach (var piece in pieces)
            output.Add(new TokenSpan(piece.Id, start + Math.Max(0, piece.Start - prefix), start + Math.Max(0, piece.End - prefix)));
    }

    public void AppendBytes(int id, List<byte> output)
    {
        if ((uint)id >= (uint)_model.Pieces.Count) return;
        var piece = _model.Pieces[id];
        switch (piece.Type)
        {
            case SentencePieceType.Byte when piece.Piece.Length == 6 &&
                                             byte.TryParse(piece.Piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value):
                output.Add(value);
                break;
            case SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused:
                string surface = _model.EscapeWhitespaces ? piece.Piece.Replace(SpaceSymbol, ' ') : piece.Piece;
                output.AddRange(Encoding.UTF8.GetBytes(surface));
                break;
        }
    }

    // Hugging Face's decoder for dummy-prefix models strips the one space the prefix turned into.
    public string FinishDecoding(string decoded) => _model.AddDummyPrefix && decoded.StartsWith(' ') ? decoded[1..] : decoded;

    private string? PieceOrNull(int id) => id >= 0 ? _model.Pieces[id].Piece : null;

    private static void CheckSupported(SentencePieceModel model, string path)
    {
        string? problem = model switch
        {
            { ModelType: not SentencePieceModelType.Bpe } => $"unsupported SentencePiece model type {model.ModelType}: only BPE models are supported",
            { NormalizerName: not ("identity" or "") } or { PrecompiledCharsmap.IsEmpty: false } =>
                $"unsupported SentencePiece normalizer '{model.NormalizerName}': only the identity normalizer is supported",
            { RemoveExtraWhitespaces: true } => "unsupported SentencePiece option remove_extra_whitespaces",
            { TreatWhitespaceAsSuffix: true } => "unsupported SentencePiece option treat_whitespace_as_suffix",
            _ => null,
        };
        if (problem is not null) throw new TokenizerException(path, problem);
    }
}
