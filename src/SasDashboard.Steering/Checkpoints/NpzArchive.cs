using System.IO.Compression;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Checkpoints;

/// <summary>
/// An .npz file: a zip archive whose members are .npy arrays named <c>{name}.npy</c>. A stored member is read from its
/// place in the file straight into tensor memory; a deflated one is inflated as it streams into tensor memory.
/// </summary>
public sealed class NpzArchive : IDisposable
{
    private const string MemberSuffix = ".npy";
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _members;

    public string Path { get; }

    /// <summary>The array names, without the <c>.npy</c> suffix of their members.</summary>
    public IReadOnlyCollection<string> Names => _members.Keys;

    private NpzArchive(string path, FileStream file, ZipArchive zip)
    {
        Path = path;
        _file = file;
        _zip = zip;
        _members = zip.Entries
            .Where(e => e.FullName.EndsWith(MemberSuffix, StringComparison.Ordinal))
            .ToDictionary(e => e.FullName[..^MemberSuffix.Length]);
    }

    public static NpzArchive Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: file not found");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new NpzArchive(path, file, new ZipArchive(file, ZipArchiveMode.Read));
        }
        catch (InvalidDataException e)
        {
            file.Dispose();
            throw new CheckpointException($"{path}: not a readable .npz (zip) archive, truncated or corrupt? ({e.Message})", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _members.ContainsKey(name);

    /// <summary>The header of array <paramref name="name"/>: dtype, shape and order, without reading its data.</summary>
    public NpyHeader Header(string name)
    {
        using var stream = OpenMember(name, out var header);
        return header;
    }

    /// <summary>Reads array <paramref name="name"/>, converted to <paramref name="dtype"/> (default: as stored) on <paramref name="device"/>.</summary>
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        using var stream = OpenMember(name, out var header);
        return NpyArray.ReadData(stream, header, Where(name), dtype, device);
    }

    private Stream OpenMember(string name, out NpyHeader header)
    {
        if (!_members.TryGetValue(name, out var entry))
            throw new CheckpointException(
                $"{Path}: no array named '{name}' (the archive holds {(_members.Count == 0 ? "none" : string.Join(", ", _members.Keys))})");
        Stream stream;
        try
        {
            stream = entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{Where(name)}: cannot open the member ({e.Message})", e);
        }
        try
        {
            header = NpyHeader.Read(stream, Where(name));
            NpyArray.RequireLength(Where(name), header, entry.Length);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private string Where(string name) => $"{Path}: member '{name}{MemberSuffix}'";

    public void Dispose()
    {
        _zip.Dispose();
        _file.Dispose();
    }
}
