using System.IO.Compression;
using System.Text;

namespace SasDashboard.Steering.Tests.Checkpoints;

/// <summary>Zip archives put together by hand (local headers, central directory, end record), independent of
/// System.IO.Compression's zip writer, which the code under test uses.</summary>
public static class HandMadeZip
{
    public sealed record Member(string Name, byte[] Data, bool Deflate = false);

    public static byte[] Build(params Member[] members)
    {
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        var central = new List<(Member Member, uint Crc, int Method, byte[] Stored, long Offset)>();
        foreach (var member in members)
        {
            var stored = member.Deflate ? Deflate(member.Data) : member.Data;
            int method = member.Deflate ? 8 : 0;
            uint crc = Crc32(member.Data);
            long offset = output.Position;
            var name = Encoding.UTF8.GetBytes(member.Name);
            writer.Write(0x04034b50u);
            writer.Write((ushort)20);
            writer.Write((ushort)0);
            writer.Write((ushort)method);
            writer.Write(0u); // time and date
            writer.Write(crc);
            writer.Write((uint)stored.Length);
            writer.Write((uint)member.Data.Length);
            writer.Write((ushort)name.Length);
            writer.Write((ushort)0);
            writer.Write(name);
            writer.Write(stored);
            central.Add((member, crc, method, stored, offset));
        }
        long directoryStart = output.Position;
        foreach (var (member, crc, method, stored, offset) in central)
        {
            var name = Encoding.UTF8.GetBytes(member.Name);
            writer.Write(0x02014b50u);
            writer.Write((ushort)20);
            writer.Write((ushort)20);
            writer.Write((ushort)0);
            writer.Write((ushort)method);
            writer.Write(0u);
            writer.Write(crc);
            writer.Write((uint)stored.Length);
            writer.Write((uint)member.Data.Length);
            writer.Write((ushort)name.Length);
            writer.Write((ushort)0); // extra
            writer.Write((ushort)0); // comment
            writer.Write((ushort)0); // disk
            writer.Write((ushort)0); // internal attributes
            writer.Write(0u); // external attributes
            writer.Write((uint)offset);
            writer.Write(name);
        }
        long directoryLength = output.Position - directoryStart;
        writer.Write(0x06054b50u);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)members.Length);
        writer.Write((ushort)members.Length);
        writer.Write((uint)directoryLength);
        writer.Write((uint)directoryStart);
        writer.Write((ushort)0);
        writer.Flush();
        return output.ToArray();
    }

    /// <summary>The compression method (0 stored, 8 deflated) of each member, read from the central directory.</summary>
    public static Dictionary<string, int> Methods(byte[] zip)
    {
        var methods = new Dictionary<string, int>();
        for (int i = 0; i + 46 <= zip.Length; i++)
        {
            if (BitConverter.ToUInt32(zip, i) != 0x02014b50u) continue;
            int nameLength = BitConverter.ToUInt16(zip, i + 28);
            methods[Encoding.UTF8.GetString(zip, i + 46, nameLength)] = BitConverter.ToUInt16(zip, i + 10);
        }
        return methods;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(data);
        return output.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
