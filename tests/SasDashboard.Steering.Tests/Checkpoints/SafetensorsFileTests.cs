using System.Text;
using SasDashboard.Steering.Checkpoints;
using SasDashboard.Testing;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Checkpoints;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Read_ReturnsValuesShapeAndMetadata()
    {
        var path = _temp.File("a.safetensors");
        SafetensorsFixture.Write(path, [new("x", [2, 3], [1, 2, 3, 4, 5, 6]), new("b", [1], [7])], "F32",
            new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafetensorsFile.Open(path);
        using var x = file.Read("x");
        Assert.Equal([2L, 3L], x.shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], x.data<float>().ToArray());
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Theory]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void Read_ConvertsHalfPrecisionToTheRequestedType(string dtype)
    {
        var path = _temp.File("h.safetensors");
        float[] values = [0.1f, -2.5f, 3.14159f, 1000f];
        SafetensorsFixture.Write(path, [new("w", [4], values)], dtype);
        using var file = SafetensorsFile.Open(path);
        using var w = file.Read("w", ScalarType.Float32);
        Assert.Equal(values.Select(v => SafetensorsFixture.RoundTrip(v, dtype)), w.data<float>().ToArray());
    }

    [Fact]
    public void EngineWriter_RoundTripsThroughTheReader()
    {
        var path = _temp.File("w.safetensors");
        using var a = arange(12, ScalarType.Float32).reshape(3, 4);
        using var b = tensor(new long[] { 5, -6 });
        SafetensorsWriter.Write(path, [new("a", a), new("b", b)], new Dictionary<string, string> { ["k"] = "v" });
        using var file = SafetensorsFile.Open(path);
        using var readA = file.Read("a");
        using var readB = file.Read("b");
        Assert.True(readA.eq(a).all().item<bool>());
        Assert.Equal([5L, -6L], readB.data<long>().ToArray());
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal(0, (new FileInfo(path).Length - 8 - 12 * 4 - 2 * 8) % 8);
    }

    [Fact]
    public void TruncatedFile_NamesTheTensorThatRunsPastTheEnd()
    {
        var path = _temp.File("t.safetensors");
        SafetensorsFixture.Write(path, [new("x", [4], [1, 2, 3, 4])]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path));
        Assert.Contains("tensor 'x' ends at byte", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void HeaderThatIsNotJson_IsRejectedWithThePath()
    {
        var path = _temp.File("bad.safetensors");
        var junk = Encoding.ASCII.GetBytes("{not json");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)junk.Length), .. junk]);
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path));
        Assert.StartsWith(path, error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void ImpossibleHeaderLength_IsRejected()
    {
        var path = _temp.File("len.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(1L << 40), 1, 2, 3]);
        Assert.Contains("header length", Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path)).Message);
    }

    [Fact]
    public void OffsetsThatDisagreeWithShape_AreRejected()
    {
        var path = _temp.File("shape.safetensors");
        var header = Encoding.UTF8.GetBytes("""{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header, .. new byte[8]]);
        var message = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path)).Message;
        Assert.Contains("shape [3] of F32 needs 12 bytes but data_offsets span 8", message);
    }

    [Fact]
    public void MissingFile_SaysNotFound()
    {
        var message = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(_temp.File("none.safetensors"))).Message;
        Assert.EndsWith("none.safetensors: file not found", message);
    }

    public void Dispose() => _temp.Dispose();
}
