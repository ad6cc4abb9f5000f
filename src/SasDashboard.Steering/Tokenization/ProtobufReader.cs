using System.Buffers.Binary;
using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Reads protobuf fields one at a time from a message. Malformed input (truncated data, a wire type that does not
/// match the field, invalid UTF-8) raises <see cref="InvalidDataException"/> with the byte offset.
/// </summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> message)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;
    private ProtobufWireType _wireType;

    public readonly bool AtEnd => _position >= _message.Length;

    /// <summary>Reads the next field's key and returns its field number; the typed reads below then read its value.</summary>
    public int ReadFieldNumber()
    {
        int keyOffset = _position;
        ulong key = ReadVarint();
        int wireType = (int)(key & 7);
        if (wireType is not (0 or 1 or 2 or 5)) throw Broken($"unsupported wire type {wireType} at byte {keyOffset}");
        ulong field = key >> 3;
        if (field is 0 or > int.MaxValue) throw Broken($"invalid field number {field} at byte {keyOffset}");
        _wireType = (ProtobufWireType)wireType;
        return (int)field;
    }

    public int ReadInt32()
    {
        Require(ProtobufWireType.Varint);
        // Negative int32 values are written as 10-byte sign-extended varints; truncation gives them back.
        return unchecked((int)ReadVarint());
    }

    public bool ReadBool()
    {
        Require(ProtobufWireType.Varint);
        return ReadVarint() != 0;
    }

    public float ReadFloat()
    {
        Require(ProtobufWireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    }

    public string ReadString()
    {
        int offset = _position;
        var bytes = ReadBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Broken($"string at byte {offset} is not valid UTF-8");
        }
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        Require(ProtobufWireType.LengthDelimited);
        ulong length = ReadVarint();
        if (length > (ulong)(_message.Length - _position))
            throw Broken($"field of {length} bytes at byte {_position} runs past the end of its message");
        return Take((int)length);
    }

    public void SkipField()
    {
        switch (_wireType)
        {
            case ProtobufWireType.Varint: ReadVarint(); break;
            case ProtobufWireType.Fixed64: Take(8); break;
            case ProtobufWireType.Fixed32: Take(4); break;
            case ProtobufWireType.LengthDelimited: ReadBytes(); break;
        }
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _message.Length) throw Broken($"varint truncated at byte {_position}");
            byte next = _message[_position++];
            value |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0) return value;
        }
        throw Broken($"varint longer than 10 bytes ending at byte {_position}");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _message.Length - _position) throw Broken($"{count}-byte value truncated at byte {_position}");
        var bytes = _message.Slice(_position, count);
        _position += count;
        return bytes;
    }

    private readonly void Require(ProtobufWireType expected)
    {
        if (_wireType != expected) throw Broken($"field before byte {_position} has wire type {_wireType}, expected {expected}");
    }

    private static InvalidDataException Broken(string problem) => new(problem);
}
