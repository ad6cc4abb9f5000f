using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>Writes tensors in the safetensors format, with optional string metadata.</summary>
public static class SafetensorsWriter
{
    private const int WriteChunkBytes = 256 << 20;

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, tensor) in list)
        {
            long bytes = tensor.NumberOfElements * SafetensorsDType.SizeOf(tensor.dtype);
            header[name] = new
            {
                dtype = SafetensorsDType.NameOf(tensor.dtype),
                shape = tensor.shape,
                data_offsets = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - json.Length % 8) % 8;

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(BitConverter.GetBytes((long)(json.Length + padding)));
            stream.Write(json);
            stream.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
            foreach (var (_, tensor) in list) WriteData(stream, tensor);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().view(-1);
        long chunkElements = WriteChunkBytes / SafetensorsDType.SizeOf(tensor.dtype);
        for (long element = 0; element < flat.shape[0]; element += chunkElements)
            stream.Write(flat.narrow(0, element, Math.Min(chunkElements, flat.shape[0] - element)).bytes);
    }
}
