namespace SasDashboard.Steering.Tokenization;

/// <summary>The protobuf wire types a SentencePiece model uses (groups, types 3 and 4, are obsolete and rejected).</summary>
internal enum ProtobufWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
