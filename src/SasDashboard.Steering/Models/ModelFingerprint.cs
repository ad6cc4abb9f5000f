using System.Security.Cryptography;
using System.Text;

namespace SasDashboard.Steering.Models;

/// <summary>
/// A cheap identity of a checkpoint directory for cache keys: SHA-256 over config.json and, for each weights file,
/// its name, length, safetensors header and the first and last 64 KiB of data (a retrained model with the same
/// shapes changes its data, so the key changes, without hashing gigabytes).
/// </summary>
public static class ModelFingerprint
{
    private const int SampleBytes = 64 << 10;

    public static string Of(string modelDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(Path.Combine(modelDirectory, "config.json")));
        foreach (var file in Directory.GetFiles(modelDirectory, "*.safetensors").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}:{stream.Length}"));
            var lengthBytes = new byte[8];
            stream.ReadExactly(lengthBytes);
            long headerLength = Math.Min(BitConverter.ToInt64(lengthBytes), stream.Length - 8);
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            hash.AppendData(header);
            AppendSample(hash, stream, stream.Position);
            AppendSample(hash, stream, Math.Max(stream.Position, stream.Length - SampleBytes));
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static void AppendSample(IncrementalHash hash, Stream stream, long start)
    {
        stream.Position = start;
        var buffer = new byte[(int)Math.Min(SampleBytes, stream.Length - start)];
        stream.ReadExactly(buffer);
        hash.AppendData(buffer);
    }
}
