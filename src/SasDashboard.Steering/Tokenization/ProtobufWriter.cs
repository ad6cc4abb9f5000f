using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>Writes protobuf fields in order into a growing buffer; nested messages are written into their own writer first.</summary>
internal sealed class ProtobufWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteInt32(int field, int value)
    {
        WriteKey(field, ProtobufWireType.Varint);
        // Protobuf sign-extends negative int32 values to 64 bits (10 bytes), unlike sint32's zig-zag.
        WriteVarint(unchecked((ulong)(long)value));
    }

    public void WriteBool(int field, bool value)
    {
        WriteKey(field, ProtobufWireType.Varint);
        WriteVarint(value ? 1UL : 0UL);
    }

    public void WriteFloat(int field, float value)
    {
        WriteKey(field, ProtobufWireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteMessage(int field, ProtobufWriter message) => WriteBytes(field, message.WrittenSpan);

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, ProtobufWireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void WriteKey(int field, ProtobufWireType wireType) => WriteVarint(((ulong)field << 3) | (ulong)wireType);

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[length++] = (byte)value;
        _buffer.Advance(length);
    }
}
