using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>
/// The header of one .npy array: magic <c>\x93NUMPY</c>, a version byte pair, the header length (u16 for version 1,
/// u32 for 2 and 3), then a Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>.
/// <see cref="DataOffset"/> is where the raw data starts, counted from the start of the array.
/// </summary>
public sealed partial record NpyHeader(string Descr, ScalarType DType, bool FortranOrder, long[] Shape, int DataOffset)
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int MaxHeaderBytes = 1 << 20;
    private const int Alignment = 64;

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public long DataBytes => ElementCount * SafetensorsDType.SizeOf(DType);
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Reads the header from the start of an array; <paramref name="where"/> names the file (and member) in errors.</summary>
    public static NpyHeader Read(Stream stream, string where)
    {
        Span<byte> prefix = stackalloc byte[12];
        ReadExactly(stream, prefix[..8], where);
        if (!prefix[..6].SequenceEqual(Magic)) throw new CheckpointException($"{where}: not a .npy array (no \\x93NUMPY magic)");
        int major = prefix[6];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new CheckpointException($"{where}: unsupported .npy format version {major}.{prefix[7]}"),
        };
        ReadExactly(stream, prefix.Slice(8, lengthBytes), where);
        long headerLength = lengthBytes == 2 ? BitConverter.ToUInt16(prefix[8..10]) : BitConverter.ToUInt32(prefix[8..12]);
        if (headerLength > MaxHeaderBytes)
            throw new CheckpointException($"{where}: .npy header claims {headerLength} bytes, which no array header needs (corrupt file?)");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, where);
        // Version 3 only changes the header's encoding from Latin-1 to UTF-8.
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        return Parse(text, where, 8 + lengthBytes + (int)headerLength);
    }

    private static NpyHeader Parse(string text, string where, int dataOffset)
    {
        var descr = DescrPattern().Match(text);
        if (!descr.Success)
            throw new CheckpointException($"{where}: the .npy header has no simple 'descr' (structured arrays are not supported): {text.Trim()}");
        var fortran = FortranPattern().Match(text);
        var shape = ShapePattern().Match(text);
        if (!fortran.Success || !shape.Success)
            throw new CheckpointException($"{where}: malformed .npy header (needs 'fortran_order' and 'shape'): {text.Trim()}");
        var dims = shape.Groups["dims"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new CheckpointException($"{where}: malformed shape '({shape.Groups["dims"].Value})' in the .npy header"))
            .ToArray();
        var descrText = descr.Groups["descr"].Value;
        return new NpyHeader(descrText, NpyDType.Parse(descrText, where), fortran.Groups["value"].Value == "True", dims, dataOffset);
    }

    /// <summary>The header bytes for a C-order little-endian array, padded as numpy pads them (to 64 bytes, ending in a
    /// newline); version 1 unless the header needs more than 65535 bytes.</summary>
    public static byte[] Format(ScalarType dtype, long[] shape)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var dict = $"{{'descr': '{NpyDType.NameOf(dtype)}', 'fortran_order': False, 'shape': ({dims}), }}";
        foreach (var (major, lengthBytes) in new[] { (1, 2), (2, 4) })
        {
            int prefixLength = 8 + lengthBytes;
            int padded = (prefixLength + dict.Length + 1 + Alignment - 1) / Alignment * Alignment;
            int headerLength = padded - prefixLength;
            if (lengthBytes == 2 && headerLength > ushort.MaxValue) continue;
            var bytes = new byte[padded];
            Magic.CopyTo(bytes, 0);
            bytes[6] = (byte)major;
            if (lengthBytes == 2) BitConverter.TryWriteBytes(bytes.AsSpan(8), (ushort)headerLength);
            else BitConverter.TryWriteBytes(bytes.AsSpan(8), (uint)headerLength);
            Encoding.Latin1.GetBytes(dict.PadRight(headerLength - 1) + "\n", bytes.AsSpan(prefixLength));
            return bytes;
        }
        throw new ArgumentException($"shape [{string.Join(", ", shape)}] does not fit a .npy header", nameof(shape));
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string where)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException($"{where}: the .npy header ends early (truncated file?)", e);
        }
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""](?<descr>[^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(?<value>True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\((?<dims>[^)]*)\)")]
    private static partial Regex ShapePattern();
}
