using System.Text.Json;
using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>What a weight is, so that a source that invents weights (for training or benchmarks) initialises it well.</summary>
public enum WeightKind
{
    Linear,
    Embedding,
    /// <summary>RMSNorm scale applied as <c>w</c> (Llama): starts at one.</summary>
    NormScale,
    /// <summary>RMSNorm scale applied as <c>1 + w</c> (Gemma): starts at zero.</summary>
    NormOffsetScale,
}

/// <summary>
/// Supplies a module's weights by Hugging Face tensor name as it is built, so that a model never holds an
/// initialised copy next to the loaded one.
/// </summary>
public interface IWeightSource
{
    Tensor Load(string name, long[] shape, WeightKind kind);
}

/// <summary>Weights from a checkpoint: <c>model.safetensors</c>, or shards listed in <c>model.safetensors.index.json</c>.</summary>
public sealed class CheckpointWeightSource : IWeightSource, IDisposable
{
    private readonly Dictionary<string, SafetensorsFile> _files = new();
    private readonly Dictionary<string, SafetensorsFile> _fileByTensor = new();
    private readonly ScalarType _dtype;
    private readonly Device _device;
    private readonly bool _trainable;

    public string Directory { get; }

    public CheckpointWeightSource(string modelDirectory, ScalarType dtype, Device device, bool trainable = false)
    {
        Directory = modelDirectory;
        _dtype = dtype;
        _device = device;
        _trainable = trainable;
        var single = Path.Combine(modelDirectory, "model.safetensors");
        var index = Path.Combine(modelDirectory, "model.safetensors.index.json");
        try
        {
            if (File.Exists(index)) OpenShards(index);
            else if (File.Exists(single)) AddFile(single);
            else
                throw new CheckpointException(
                    $"{modelDirectory}: no weights found (expected model.safetensors or model.safetensors.index.json)");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void OpenShards(string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(indexPath));
            weightMap = json.RootElement.GetProperty("weight_map").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CheckpointException($"{indexPath}: not a valid safetensors index ({e.Message})", e);
        }
        foreach (var (tensor, shard) in weightMap)
        {
            if (!_files.TryGetValue(shard, out var file))
            {
                var shardPath = Path.Combine(Directory, shard);
                if (!File.Exists(shardPath))
                    throw new CheckpointException($"{shardPath}: shard named in {Path.GetFileName(indexPath)} not found");
                file = SafetensorsFile.Open(shardPath);
                _files[shard] = file;
            }
            _fileByTensor[tensor] = file;
        }
    }

    private void AddFile(string path)
    {
        var file = SafetensorsFile.Open(path);
        _files[Path.GetFileName(path)] = file;
        foreach (var name in file.Tensors.Keys) _fileByTensor[name] = file;
    }

    public bool Contains(string name) => _fileByTensor.ContainsKey(name);

    /// <summary>Elements stored across all files, read from the headers alone.</summary>
    public long StoredParameterCount => _fileByTensor.Sum(e => e.Value.Tensors[e.Key].ElementCount);

    public Tensor Load(string name, long[] shape, WeightKind kind)
    {
        if (!_fileByTensor.TryGetValue(name, out var file))
            throw new CheckpointException($"{Directory}: missing tensor '{name}' (expected shape [{string.Join(", ", shape)}])");
        var entry = file.Tensors[name];
        if (!entry.Shape.SequenceEqual(shape))
            throw new CheckpointException(
                $"{file.Path}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", shape)}]");
        var tensor = file.Read(name, _dtype, _device);
        if (_trainable) tensor.requires_grad_(true);
        return tensor;
    }

    public void Dispose()
    {
        foreach (var file in _files.Values) file.Dispose();
        _files.Clear();
    }
}

/// <summary>Freshly initialised weights (normal(0, std) matrices, neutral norms), for training from scratch and benchmarks.</summary>
public sealed class RandomWeightSource(long seed, ScalarType dtype, Device device, double std = 0.02, bool trainable = false)
    : IWeightSource
{
    private readonly Generator _generator = new((ulong)seed, CPU);

    public Tensor Load(string name, long[] shape, WeightKind kind)
    {
        var cpuTensor = kind switch
        {
            WeightKind.NormScale => ones(shape),
            WeightKind.NormOffsetScale => zeros(shape),
            _ => normal(0, std, shape, generator: _generator),
        };
        var tensor = cpuTensor.to(dtype, device);
        if (!ReferenceEquals(tensor, cpuTensor)) cpuTensor.Dispose();
        if (trainable) tensor.requires_grad_(true);
        return tensor;
    }
}
