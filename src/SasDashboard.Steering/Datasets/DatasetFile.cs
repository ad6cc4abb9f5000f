using System.Text;

namespace SasDashboard.Steering.Datasets;

/// <summary>Reading benchmark files: whole files at once, so the bytes parsed are exactly the bytes hashed.</summary>
internal static class DatasetFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<byte[]> ReadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        return await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
    }

    /// <summary>The bytes without a leading UTF-8 byte order mark (Excel and some editors add one).</summary>
    public static ReadOnlyMemory<byte> WithoutBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes.AsMemory(3) : bytes;

    public static string DecodeUtf8(byte[] bytes, string path)
    {
        try
        {
            return StrictUtf8.GetString(WithoutBom(bytes).Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException(path, $"not valid UTF-8 text ({e.Message})", e);
        }
    }
}
