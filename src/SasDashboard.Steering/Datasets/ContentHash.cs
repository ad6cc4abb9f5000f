using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SasDashboard.Steering.Datasets;

/// <summary>SHA-256 fingerprints that identify exactly which benchmark files a result was computed on.</summary>
internal static class ContentHash
{
    public static string OfBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Hash over a folder's files in ordinal order of their '/'-separated relative paths. Each file contributes its
    /// path, a zero byte, its length (8 bytes, little-endian) and its bytes, so that moving bytes between files or
    /// renaming a file always changes the hash.
    /// </summary>
    public static string OfFolder(IEnumerable<(string RelativePath, byte[] Bytes)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var (relativePath, bytes) in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relativePath));
            hash.AppendData([0]);
            BinaryPrimitives.WriteInt64LittleEndian(length, bytes.LongLength);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
