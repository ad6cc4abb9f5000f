using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>One tensor's entry in a safetensors header. Offsets are absolute positions in the file.</summary>
public sealed record SafetensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// Reads a safetensors file (u64 header length, JSON header, raw little-endian data) one tensor at a time, straight
/// into the tensor's own memory, so that loading holds at most one extra copy of a single tensor.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L << 20;
    private const int ReadChunkBytes = 256 << 20;
    private readonly SafeFileHandle _handle;

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, SafeFileHandle handle, Dictionary<string, SafetensorsEntry> tensors,
        Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        Tensors = tensors;
        Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: file not found");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var (tensors, metadata) = ReadHeader(path, handle);
            return new SafetensorsFile(path, handle, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ReadHeader(string path,
        SafeFileHandle handle)
    {
        long fileLength = RandomAccess.GetLength(handle);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || RandomAccess.Read(handle, lengthBytes, 0) != 8)
            throw new CheckpointException($"{path}: not a safetensors file (shorter than its 8-byte header length)");
        long headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > fileLength)
            throw new CheckpointException(
                $"{path}: not a safetensors file (header length {headerLength} does not fit a {fileLength}-byte file)");

        var headerBytes = new byte[headerLength];
        RandomAccess.Read(handle, headerBytes, 8);
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: the safetensors header is not valid JSON ({e.Message})", e);
        }

        long dataStart = 8 + headerLength;
        var tensors = new Dictionary<string, SafetensorsEntry>();
        var metadata = new Dictionary<string, string>();
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{path}: the safetensors header is not a JSON object");
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var m in property.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[property.Name] = ParseEntry(path, property, dataStart, fileLength);
            }
        }
        return (tensors, metadata);
    }

    private static SafetensorsEntry ParseEntry(string path, JsonProperty property, long dataStart, long fileLength)
    {
        string where = $"{path}: tensor '{property.Name}'";
        try
        {
            var dtypeName = property.Value.GetProperty("dtype").GetString() ?? "";
            if (!SafetensorsDType.TryParse(dtypeName, out var dtype))
                throw new CheckpointException($"{where} has unsupported dtype '{dtypeName}'");
            var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new CheckpointException($"{where} has invalid data_offsets");
            var entry = new SafetensorsEntry(property.Name, dtype, shape, dataStart + offsets[0], dataStart + offsets[1]);
            long expectedBytes = entry.ElementCount * SafetensorsDType.SizeOf(dtype);
            if (entry.End - entry.Begin != expectedBytes)
                throw new CheckpointException(
                    $"{where}: shape [{string.Join(", ", shape)}] of {dtypeName} needs {expectedBytes} bytes but data_offsets span {entry.End - entry.Begin}");
            if (entry.End > fileLength)
                throw new CheckpointException($"{where} ends at byte {entry.End}, past the end of the {fileLength}-byte file (truncated?)");
            return entry;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException($"{where} has a malformed header entry ({e.Message})", e);
        }
    }

    public bool Contains(string name) => Tensors.ContainsKey(name);

    /// <summary>Reads a tensor, converted to <paramref name="dtype"/> (default: as stored) on <paramref name="device"/>.</summary>
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        if (!Tensors.TryGetValue(name, out var entry))
            throw new CheckpointException($"{Path}: no tensor named '{name}'");
        var stored = empty(entry.Shape, entry.DType);
        try
        {
            FillFromFile(stored, entry);
            var target = dtype ?? entry.DType;
            var targetDevice = device ?? CPU;
            if (target == entry.DType && targetDevice.type == TorchSharp.DeviceType.CPU) return stored;
            var converted = stored.to(target, targetDevice);
            stored.Dispose();
            return converted;
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }

    private void FillFromFile(Tensor destination, SafetensorsEntry entry)
    {
        // Tensor.bytes spans at most 2 GiB, so large tensors are filled through element windows of the flat view.
        using var flat = destination.view(-1);
        long elementSize = SafetensorsDType.SizeOf(entry.DType);
        long chunkElements = ReadChunkBytes / elementSize;
        for (long element = 0; element < flat.shape[0]; element += chunkElements)
        {
            using var window = flat.narrow(0, element, Math.Min(chunkElements, flat.shape[0] - element));
            var span = window.bytes;
            long position = entry.Begin + element * elementSize;
            for (int filled = 0; filled < span.Length;)
            {
                int read = RandomAccess.Read(_handle, span[filled..], position + filled);
                if (read <= 0) throw new CheckpointException($"{Path}: unexpected end of file while reading '{entry.Name}'");
                filled += read;
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
