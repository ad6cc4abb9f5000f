using SasDashboard.Steering.Tokenization;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

/// <summary>
/// A small hand-made SentencePiece BPE model in Gemma's layout: 0 &lt;pad&gt;, 1 &lt;eos&gt;, 2 &lt;bos&gt;, 3 &lt;unk&gt;,
/// 4 &lt;start_of_turn&gt;, 5 &lt;end_of_turn&gt;, 6–261 the bytes, then the pieces given, in order.
/// </summary>
internal static class SentencePieceFixture
{
    public const int Pad = 0, Eos = 1, Bos = 2, Unknown = 3, StartOfTurn = 4, EndOfTurn = 5, FirstByte = 6, FirstPiece = 262;

    public const string Characters = "▁abcdehlorwusmnqtiyAB()?.\n";

    /// <summary>Merged pieces with scores: the higher score merges first.</summary>
    public static readonly (string Piece, float Score)[] HelloWorldMerges =
    [
        ("he", -1), ("ll", -2), ("llo", -3), ("hello", -4), ("▁w", -5), ("or", -6), ("▁wor", -7), ("ld", -8),
    ];

    public static SentencePieceModel Create(IEnumerable<(string Piece, float Score)> merges, bool addDummyPrefix = false)
    {
        var pieces = new List<SentencePiece>
        {
            new("<pad>", 0, SentencePieceType.Control),
            new("<eos>", 0, SentencePieceType.Control),
            new("<bos>", 0, SentencePieceType.Control),
            new("<unk>", 0, SentencePieceType.Unknown),
            new("<start_of_turn>", 0, SentencePieceType.UserDefined),
            new("<end_of_turn>", 0, SentencePieceType.UserDefined),
        };
        pieces.AddRange(Enumerable.Range(0, 256).Select(value => new SentencePiece(SentencePiece.ByteName(value), 0, SentencePieceType.Byte)));
        pieces.AddRange(merges.Select(merge => new SentencePiece(merge.Piece, merge.Score)));
        pieces.AddRange(Characters.Select((character, index) => new SentencePiece(character.ToString(), -1000 - index)));
        return new SentencePieceModel { Pieces = pieces, PadId = Pad, EosId = Eos, BosId = Bos, UnknownId = Unknown, AddDummyPrefix = addDummyPrefix };
    }

    public static int IdOf(SentencePieceModel model, string piece)
    {
        for (int id = 0; id < model.Pieces.Count; id++)
            if (model.Pieces[id].Piece == piece) return id;
        throw new ArgumentException($"no piece '{piece}'");
    }

    /// <summary>Writes the model with its tokenizer_config.json and special_tokens_map.json and loads it.</summary>
    public static ModelTokenizer Load(TempDirectory directory, SentencePieceModel model, string? chatTemplate = null)
    {
        SentencePieceModelWriter.WriteTokenizerDirectory(directory.Path, model, chatTemplate);
        return ModelTokenizer.Load(directory.Path);
    }
}
