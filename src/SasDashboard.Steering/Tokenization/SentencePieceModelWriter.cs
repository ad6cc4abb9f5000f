using static SasDashboard.Steering.Tokenization.SentencePieceProtoFields;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Writes a SentencePiece <c>ModelProto</c> (<c>tokenizer.model</c>) that sentencepiece, Hugging Face and
/// Microsoft.ML.Tokenizers load. Every setting is written out, so no reader falls back to the proto's defaults.
/// </summary>
public static class SentencePieceModelWriter
{
    public static byte[] Serialize(SentencePieceModel model)
    {
        CheckIds(model);
        var output = new ProtobufWriter();
        foreach (var piece in model.Pieces)
        {
            if (piece.Piece.Length == 0) throw new ArgumentException("SentencePiece pieces must not be empty", nameof(model));
            var message = new ProtobufWriter();
            message.WriteString(Piece.Text, piece.Piece);
            message.WriteFloat(Piece.Score, piece.Score);
            message.WriteInt32(Piece.Type, (int)piece.Type);
            output.WriteMessage(Model.Pieces, message);
        }
        output.WriteMessage(Model.TrainerSpec, TrainerSpec(model));
        output.WriteMessage(Model.NormalizerSpec, NormalizerSpec(model));
        return output.WrittenSpan.ToArray();
    }

    public static void Write(string path, SentencePieceModel model) => File.WriteAllBytes(path, Serialize(model));

    /// <summary>
    /// Writes a model directory's tokenizer: <c>tokenizer.model</c>, plus <c>tokenizer_config.json</c> and
    /// <c>special_tokens_map.json</c> naming its BOS, EOS, pad and unknown pieces and listing its control, unknown and
    /// user-defined pieces as special added tokens. BOS is added to encoded text, as Gemma and Llama 2 do.
    /// </summary>
    public static void WriteTokenizerDirectory(string directory, SentencePieceModel model, string? chatTemplate = null)
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, TokenizerFileNames.SentencePieceModel), model);
        string? PieceAt(int id) => id >= 0 ? model.Pieces[id].Piece : null;
        var addedTokens = model.Pieces
            .Select((piece, id) => (piece, id))
            .Where(entry => entry.piece.Type is SentencePieceType.Control or SentencePieceType.Unknown or SentencePieceType.UserDefined)
            .Select(entry => new AddedToken(entry.id, entry.piece.Piece))
            .ToList();
        TokenizerConfigWriter.Write(directory, new TokenizerConfig
        {
            AddBosToken = model.BosId >= 0,
            AddEosToken = false,
            BosToken = PieceAt(model.BosId),
            EosToken = PieceAt(model.EosId),
            PadToken = PieceAt(model.PadId),
            UnknownToken = PieceAt(model.UnknownId),
            AddedTokens = addedTokens,
            ChatTemplate = chatTemplate,
        });
    }

    private static ProtobufWriter TrainerSpec(SentencePieceModel model)
    {
        var spec = new ProtobufWriter();
        spec.WriteInt32(Trainer.ModelType, (int)model.ModelType);
        spec.WriteInt32(Trainer.VocabSize, model.Pieces.Count);
        spec.WriteBool(Trainer.TreatWhitespaceAsSuffix, model.TreatWhitespaceAsSuffix);
        spec.WriteBool(Trainer.ByteFallback, model.ByteFallback);
        spec.WriteInt32(Trainer.UnknownId, model.UnknownId);
        spec.WriteInt32(Trainer.BosId, model.BosId);
        spec.WriteInt32(Trainer.EosId, model.EosId);
        spec.WriteInt32(Trainer.PadId, model.PadId);
        // The piece names let loaders that look tokens up by name (sentencepiece, Microsoft.ML.Tokenizers) find them.
        foreach (var (field, id) in new[]
                 {
                     (Trainer.UnknownPiece, model.UnknownId), (Trainer.BosPiece, model.BosId),
                     (Trainer.EosPiece, model.EosId), (Trainer.PadPiece, model.PadId),
                 })
            if (id >= 0) spec.WriteString(field, model.Pieces[id].Piece);
        return spec;
    }

    private static ProtobufWriter NormalizerSpec(SentencePieceModel model)
    {
        var spec = new ProtobufWriter();
        spec.WriteString(Normalizer.Name, model.NormalizerName);
        if (!model.PrecompiledCharsmap.IsEmpty) spec.WriteBytes(Normalizer.PrecompiledCharsmap, model.PrecompiledCharsmap.Span);
        spec.WriteBool(Normalizer.AddDummyPrefix, model.AddDummyPrefix);
        spec.WriteBool(Normalizer.RemoveExtraWhitespaces, model.RemoveExtraWhitespaces);
        spec.WriteBool(Normalizer.EscapeWhitespaces, model.EscapeWhitespaces);
        return spec;
    }

    private static void CheckIds(SentencePieceModel model)
    {
        int count = model.Pieces.Count;
        if (model.UnknownId < 0 || model.UnknownId >= count)
            throw new ArgumentException($"UnknownId {model.UnknownId} is not one of the {count} pieces", nameof(model));
        foreach (var (name, id) in new[] { ("BosId", model.BosId), ("EosId", model.EosId), ("PadId", model.PadId) })
            if (id < -1 || id >= count) throw new ArgumentException($"{name} {id} is not one of the {count} pieces (or -1)", nameof(model));
    }
}
