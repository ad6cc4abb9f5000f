using TorchSharp;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>
/// Reads and writes single .npy arrays. Data is read straight into the destination tensor's memory; a conversion to
/// another dtype or device goes through one small staging buffer, so loading never holds a second full-size copy.
/// </summary>
public static class NpyArray
{
    private const int ChunkBytes = 64 << 20;

    /// <summary>Reads a .npy file, converted to <paramref name="dtype"/> (default: as stored) on <paramref name="device"/>.</summary>
    public static Tensor Read(string path, ScalarType? dtype = null, Device? device = null)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: file not found");
        // No FileStream buffer: the data reads go straight into tensor memory.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var header = NpyHeader.Read(stream, path);
        RequireLength(path, header, stream.Length);
        return ReadData(stream, header, path, dtype, device);
    }

    public static void Write(string path, Tensor tensor)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            Write(stream, tensor);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes one array (header and C-order data) to <paramref name="stream"/>, e.g. an .npz member.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        stream.Write(NpyHeader.Format(tensor.dtype, tensor.shape));
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().view(-1);
        long chunkElements = ChunkBytes / SafetensorsDType.SizeOf(tensor.dtype);
        for (long element = 0; element < flat.shape[0]; element += chunkElements)
            stream.Write(flat.narrow(0, element, Math.Min(chunkElements, flat.shape[0] - element)).bytes);
    }

    /// <summary>Checks that an array of <paramref name="availableBytes"/> (header included) holds all the data its header promises.</summary>
    internal static void RequireLength(string where, NpyHeader header, long availableBytes)
    {
        long needed = header.DataOffset + header.DataBytes;
        if (availableBytes < needed)
            throw new CheckpointException(
                $"{where}: shape {header.ShapeText} of {header.Descr} needs {needed} bytes but only {availableBytes} are there (truncated file?)");
    }

    /// <summary>Reads the data that follows <paramref name="header"/> in <paramref name="source"/>.</summary>
    internal static Tensor ReadData(Stream source, NpyHeader header, string where, ScalarType? dtype, Device? device)
    {
        var targetType = dtype ?? header.DType;
        var targetDevice = device ?? CPU;
        // A Fortran-order array is laid out as the C-order array of the reversed shape: read it that way and return
        // the transposed view, which has the header's shape without copying.
        var layoutShape = header.FortranOrder ? header.Shape.Reverse().ToArray() : header.Shape;
        var result = empty(layoutShape, targetType, targetDevice);
        try
        {
            using (var flat = result.view(-1))
            {
                if (targetType == header.DType && targetDevice.type == DeviceType.CPU) FillDirectly(source, flat, where);
                else FillThroughStaging(source, flat, header.DType, where);
            }
            if (!header.FortranOrder) return result;
            var view = result.permute(Enumerable.Range(0, layoutShape.Length).Reverse().Select(d => (long)d).ToArray());
            result.Dispose();
            return view;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static void FillDirectly(Stream source, Tensor flat, string where)
    {
        // Tensor.bytes spans at most 2 GiB, so the tensor is filled through element windows of its flat view.
        long chunkElements = ChunkBytes / flat.element_size();
        for (long element = 0; element < flat.shape[0]; element += chunkElements)
        {
            using var window = flat.narrow(0, element, Math.Min(chunkElements, flat.shape[0] - element));
            ReadExactly(source, window.bytes, where);
        }
    }

    private static void FillThroughStaging(Stream source, Tensor flat, ScalarType storedType, string where)
    {
        long total = flat.shape[0];
        long chunkElements = Math.Min(ChunkBytes / SafetensorsDType.SizeOf(storedType), Math.Max(total, 1));
        using var staging = empty(chunkElements, storedType);
        for (long element = 0; element < total; element += chunkElements)
        {
            long count = Math.Min(chunkElements, total - element);
            using var part = staging.narrow(0, 0, count);
            using var window = flat.narrow(0, element, count);
            ReadExactly(source, part.bytes, where);
            window.copy_(part);
        }
    }

    private static void ReadExactly(Stream source, Span<byte> destination, string where)
    {
        try
        {
            source.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException($"{where}: the array data ends early (truncated file?)", e);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{where}: the compressed array data is corrupt ({e.Message})", e);
        }
    }
}
