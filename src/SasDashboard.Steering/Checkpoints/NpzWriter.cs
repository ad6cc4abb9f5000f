using System.IO.Compression;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>Writes .npz archives (one <c>{name}.npy</c> member per tensor, C order, each tensor's own dtype), as numpy's
/// <c>np.savez</c> / <c>np.savez_compressed</c> do. Members larger than 4 GiB get zip64 records.</summary>
public static class NpzWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> arrays,
        NpzCompression compression = NpzCompression.Stored)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var level = compression == NpzCompression.Stored ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
        var temporary = path + ".partial";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                foreach (var (name, tensor) in arrays)
                {
                    using var member = zip.CreateEntry(name + ".npy", level).Open();
                    NpyArray.Write(member, tensor);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
