using static SasDashboard.Steering.Tokenization.SentencePieceProtoFields;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Reads a SentencePiece <c>ModelProto</c> and checks that it is self-consistent. Fields the file leaves out get
/// sentencepiece_model.proto's defaults (unigram, bos 1, eos 2, pad -1, dummy prefix on, extra whitespace removed).
/// </summary>
internal static class SentencePieceModelReader
{
    public static SentencePieceModel Read(ReadOnlySpan<byte> data, string path)
    {
        SentencePieceModel model;
        try
        {
            model = ParseModel(data);
        }
        catch (InvalidDataException e)
        {
            throw new TokenizerException(path, $"broken protobuf, not a SentencePiece model ({e.Message})", e);
        }
        Validate(model, path);
        return model;
    }

    private static SentencePieceModel ParseModel(ReadOnlySpan<byte> data)
    {
        var pieces = new List<SentencePiece>();
        var model = new SentencePieceModel
        {
            Pieces = pieces,
            ModelType = SentencePieceModelType.Unigram,
            ByteFallback = false,
            UnknownId = 0,
            BosId = 1,
            EosId = 2,
            PadId = -1,
            NormalizerName = "",
            AddDummyPrefix = true,
            RemoveExtraWhitespaces = true,
            EscapeWhitespaces = true,
        };
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            switch (reader.ReadFieldNumber())
            {
                case Model.Pieces: pieces.Add(ParsePiece(reader.ReadBytes())); break;
                case Model.TrainerSpec: model = ParseTrainerSpec(reader.ReadBytes(), model); break;
                case Model.NormalizerSpec: model = ParseNormalizerSpec(reader.ReadBytes(), model); break;
                default: reader.SkipField(); break;
            }
        }
        return model;
    }

    private static SentencePiece ParsePiece(ReadOnlySpan<byte> message)
    {
        string? text = null;
        float score = 0;
        var type = SentencePieceType.Normal;
        var reader = new ProtobufReader(message);
        while (!reader.AtEnd)
        {
            switch (reader.ReadFieldNumber())
            {
                case Piece.Text: text = reader.ReadString(); break;
                case Piece.Score: score = reader.ReadFloat(); break;
                case Piece.Type:
                    int value = reader.ReadInt32();
                    if (!Enum.IsDefined((SentencePieceType)value)) throw new InvalidDataException($"piece type {value} is not a SentencePiece type");
                    type = (SentencePieceType)value;
                    break;
                default: reader.SkipField(); break;
            }
        }
        if (string.IsNullOrEmpty(text)) throw new InvalidDataException("a piece has no text");
        return new SentencePiece(text, score, type);
    }

    private static SentencePieceModel ParseTrainerSpec(ReadOnlySpan<byte> message, SentencePieceModel model)
    {
        var reader = new ProtobufReader(message);
        while (!reader.AtEnd)
        {
            switch (reader.ReadFieldNumber())
            {
                case Trainer.ModelType: model = model with { ModelType = (SentencePieceModelType)reader.ReadInt32() }; break;
                case Trainer.ByteFallback: model = model with { ByteFallback = reader.ReadBool() }; break;
                case Trainer.TreatWhitespaceAsSuffix: model = model with { TreatWhitespaceAsSuffix = reader.ReadBool() }; break;
                case Trainer.UnknownId: model = model with { UnknownId = reader.ReadInt32() }; break;
                case Trainer.BosId: model = model with { BosId = reader.ReadInt32() }; break;
                case Trainer.EosId: model = model with { EosId = reader.ReadInt32() }; break;
                case Trainer.PadId: model = model with { PadId = reader.ReadInt32() }; break;
                default: reader.SkipField(); break;
            }
        }
        return model;
    }

    private static SentencePieceModel ParseNormalizerSpec(ReadOnlySpan<byte> message, SentencePieceModel model)
    {
        var reader = new ProtobufReader(message);
        while (!reader.AtEnd)
        {
            switch (reader.ReadFieldNumber())
            {
                case Normalizer.Name: model = model with { NormalizerName = reader.ReadString() }; break;
                case Normalizer.PrecompiledCharsmap: model = model with { PrecompiledCharsmap = reader.ReadBytes().ToArray() }; break;
                case Normalizer.AddDummyPrefix: model = model with { AddDummyPrefix = reader.ReadBool() }; break;
                case Normalizer.RemoveExtraWhitespaces: model = model with { RemoveExtraWhitespaces = reader.ReadBool() }; break;
                case Normalizer.EscapeWhitespaces: model = model with { EscapeWhitespaces = reader.ReadBool() }; break;
                default: reader.SkipField(); break;
            }
        }
        return model;
    }

    private static void Validate(SentencePieceModel model, string path)
    {
        var pieces = model.Pieces;
        if (pieces.Count == 0) throw new TokenizerException(path, "the SentencePiece model has no pieces");

        var idOfPiece = new Dictionary<string, int>(pieces.Count, StringComparer.Ordinal);
        for (int id = 0; id < pieces.Count; id++)
            if (!idOfPiece.TryAdd(pieces[id].Piece, id))
                throw new TokenizerException(path, $"piece '{pieces[id].Piece}' appears twice (ids {idOfPiece[pieces[id].Piece]} and {id})");

        if (model.UnknownId < 0 || model.UnknownId >= pieces.Count)
            throw new TokenizerException(path, $"unk_id {model.UnknownId} is not one of the {pieces.Count} pieces");
        foreach (var (name, id) in new[] { ("bos_id", model.BosId), ("eos_id", model.EosId), ("pad_id", model.PadId) })
            if (id < -1 || id >= pieces.Count) throw new TokenizerException(path, $"{name} {id} is not one of the {pieces.Count} pieces");

        if (!model.ByteFallback) return;
        // Byte fallback maps byte b to the piece id(<0x00>) + b, so the 256 byte pieces must be present and in order.
        if (!idOfPiece.TryGetValue(SentencePiece.ByteName(0), out int firstByteId))
            throw new TokenizerException(path, "byte_fallback is set but the byte pieces <0x00>..<0xFF> are missing");
        for (int value = 0; value < 256; value++)
        {
            string name = SentencePiece.ByteName(value);
            if (!idOfPiece.TryGetValue(name, out int id) || id != firstByteId + value || pieces[id].Type != SentencePieceType.Byte)
                throw new TokenizerException(path, $"byte_fallback needs byte piece {name} of type BYTE at id {firstByteId + value}");
        }
    }
}
