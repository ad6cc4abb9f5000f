namespace SasDashboard.Steering.Tokenization;

/// <summary>Field numbers of sentencepiece_model.proto (google/sentencepiece, src/sentencepiece_model.proto).</summary>
internal static class SentencePieceProtoFields
{
    /// <summary>ModelProto.</summary>
    public static class Model
    {
        public const int Pieces = 1;
        public const int TrainerSpec = 2;
        public const int NormalizerSpec = 3;
    }

    /// <summary>ModelProto.SentencePiece.</summary>
    public static class Piece
    {
        public const int Text = 1;
        public const int Score = 2;
        public const int Type = 3;
    }

    /// <summary>TrainerSpec.</summary>
    public static class Trainer
    {
        public const int ModelType = 3;
        public const int VocabSize = 4;
        public const int TreatWhitespaceAsSuffix = 24;
        public const int ByteFallback = 35;
        public const int UnknownId = 40;
        public const int BosId = 41;
        public const int EosId = 42;
        public const int PadId = 43;
        public const int UnknownPiece = 45;
        public const int BosPiece = 46;
        public const int EosPiece = 47;
        public const int PadPiece = 48;
    }

    /// <summary>NormalizerSpec.</summary>
    public static class Normalizer
    {
        public const int Name = 1;
        public const int PrecompiledCharsmap = 2;
        public const int AddDummyPrefix = 3;
        public const int RemoveExtraWhitespaces = 4;
        public const int EscapeWhitespaces = 5;
    }
}
