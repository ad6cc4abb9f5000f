using System.Runtime.InteropServices;
using System.Text;

namespace SasDashboard.Steering.Tests.Checkpoints;

/// <summary>.npy bytes put together by hand from the format description, independent of the code under test.</summary>
public static class HandMadeNpy
{
    public static byte[] Array(string descr, long[] shape, byte[] data, bool fortranOrder = false, int version = 1)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': ({dims}), }}";
        int lengthBytes = version == 1 ? 2 : 4;
        // Older numpy aligned the data to 16 bytes; the reader must not depend on numpy's current 64.
        int total = (8 + lengthBytes + dict.Length + 1 + 15) / 16 * 16;
        int headerLength = total - 8 - lengthBytes;
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([(byte)version, 0]);
        bytes.AddRange(version == 1 ? BitConverter.GetBytes((ushort)headerLength) : BitConverter.GetBytes((uint)headerLength));
        bytes.AddRange((version == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(dict.PadRight(headerLength - 1) + "\n"));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Float32(params float[] values) => MemoryMarshal.AsBytes<float>(values).ToArray();
    public static byte[] Float64(params double[] values) => MemoryMarshal.AsBytes<double>(values).ToArray();
    public static byte[] Float16(params float[] values) => MemoryMarshal.AsBytes<Half>(values.Select(v => (Half)v).ToArray()).ToArray();
    public static byte[] Int64(params long[] values) => MemoryMarshal.AsBytes<long>(values).ToArray();

    public static byte[] BigEndianFloat32(params float[] values) =>
        values.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray();
}
