using System.Text;
using System.Text.Json;

namespace SasDashboard.Testing;

/// <summary>
/// Writes safetensors files with plain C#, independently of the engine's writer, so that the reader is checked against
/// the format itself. Values are given as floats and stored as F32, F16 or BF16.
/// </summary>
public static class SafetensorsFixture
{
    public sealed record Entry(string Name, long[] Shape, float[] Values);

    public static void Write(string path, IEnumerable<Entry> entries, string dtype = "F32",
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = entries.ToList();
        var header = new Dictionary<string, object>();
        if (metadata is not null) header["__metadata__"] = metadata;
        var data = new MemoryStream();
        foreach (var e in list)
        {
            long begin = data.Length;
            foreach (var v in e.Values) data.Write(Encode(v, dtype));
            header[e.Name] = new { dtype, shape = e.Shape, data_offsets = new[] { begin, data.Length } };
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((long)json.Length));
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }

    /// <summary>The value a reader gets back after storing <paramref name="value"/> as <paramref name="dtype"/>.</summary>
    public static float RoundTrip(float value, string dtype) => dtype switch
    {
        "F32" => value,
        "F16" => (float)(Half)value,
        "BF16" => BitConverter.Int32BitsToSingle(BFloat16Bits(value) << 16),
        _ => throw new ArgumentException(dtype),
    };

    private static byte[] Encode(float value, string dtype) => dtype switch
    {
        "F32" => BitConverter.GetBytes(value),
        "F16" => BitConverter.GetBytes((Half)value),
        "BF16" => BitConverter.GetBytes((ushort)BFloat16Bits(value)),
        _ => throw new ArgumentException(dtype),
    };

    /// <summary>Round to nearest even, as torch does when casting fp32 to bf16.</summary>
    private static int BFloat16Bits(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        int rounding = 0x7FFF + ((bits >> 16) & 1);
        return (int)(((uint)bits + (uint)rounding) >> 16);
    }
}
