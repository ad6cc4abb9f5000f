using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>The numpy dtype strings (<c>descr</c>, e.g. <c>'&lt;f4'</c>) that .npy headers use, and their TorchSharp
/// equivalents. Only little-endian (or byte-order-free, <c>'|'</c>) simple dtypes are supported.</summary>
public static class NpyDType
{
    private static readonly (string Descr, ScalarType Type)[] Known =
    [
        ("<f2", ScalarType.Float16), ("<f4", ScalarType.Float32), ("<f8", ScalarType.Float64),
        ("|i1", ScalarType.Int8), ("<i2", ScalarType.Int16), ("<i4", ScalarType.Int32), ("<i8", ScalarType.Int64),
        ("|u1", ScalarType.Byte), ("|b1", ScalarType.Bool),
    ];

    /// <summary>The dtype for <paramref name="descr"/>; <paramref name="where"/> names the file and member for the error.</summary>
    public static ScalarType Parse(string descr, string where)
    {
        // Single-byte types carry no byte order: numpy writes '|', but '<' means the same for them.
        var normalized = descr.Length == 3 && descr[2] == '1' && descr[0] == '<' ? "|" + descr[1..] : descr;
        foreach (var (known, type) in Known)
            if (known == normalized) return type;
        if (descr.StartsWith('>') && descr.Length == 3 && descr[2] != '1')
            throw new CheckpointException(
                $"{where}: descr '{descr}' is big-endian; only little-endian arrays are supported (convert with arr.astype(arr.dtype.newbyteorder('<')))");
        throw new CheckpointException(
            $"{where}: unsupported descr '{descr}' (supported: {string.Join(", ", Known.Select(k => k.Descr))})");
    }

    public static string NameOf(ScalarType type)
    {
        foreach (var (descr, known) in Known)
            if (known == type) return descr;
        throw new ArgumentException(
            $"numpy has no dtype for {type}" + (type == ScalarType.BFloat16 ? "; convert bfloat16 to float32 first" : ""),
            nameof(type));
    }
}
