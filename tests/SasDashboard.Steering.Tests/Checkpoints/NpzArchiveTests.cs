using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Checkpoints;

public sealed class NpzArchiveTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string WriteZip(params HandMadeZip.Member[] members)
    {
        var path = _directory.File("arrays.npz");
        File.WriteAllBytes(path, HandMadeZip.Build(members));
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_stored_and_deflated_members(bool deflate)
    {
        var path = WriteZip(
            new HandMadeZip.Member("a.npy", HandMadeNpy.Array("<f4", [2, 2], HandMadeNpy.Float32(1, 2, 3, 4)), deflate),
            new HandMadeZip.Member("b.npy", HandMadeNpy.Array("<f8", [3], HandMadeNpy.Float64(-1, 0, 1), version: 2), deflate));

        using var npz = NpzArchive.Open(path);
        using var a = npz.Read("a");
        using var b = npz.Read("b", ScalarType.Float32);

        Assert.Equal(["a", "b"], npz.Names.Order());
        TensorAssert.Equal([1, 2, 3, 4], a);
        Assert.Equal([2L, 2L], a.shape);
        Assert.Equal(ScalarType.Float32, b.dtype);
        TensorAssert.Equal([-1, 0, 1], b);
    }

    [Fact]
    public void Reports_headers_without_reading_data()
    {
        var path = WriteZip(new HandMadeZip.Member("w.npy", HandMadeNpy.Array("<f2", [3, 5], HandMadeNpy.Float16(new float[15])), Deflate: true));

        using var npz = NpzArchive.Open(path);
        var header = npz.Header("w");

        Assert.Equal("<f2", header.Descr);
        Assert.Equal(ScalarType.Float16, header.DType);
        Assert.Equal([3L, 5L], header.Shape);
        Assert.False(header.FortranOrder);
    }

    [Fact]
    public void Names_the_file_and_array_when_an_array_is_missing()
    {
        var path = WriteZip(new HandMadeZip.Member("W_enc.npy", HandMadeNpy.Array("<f4", [1], HandMadeNpy.Float32(1))));

        using var npz = NpzArchive.Open(path);
        var error = Assert.Throws<CheckpointException>(() => npz.Read("threshold"));

        Assert.Contains(path, error.Message);
        Assert.Contains("'threshold'", error.Message);
        Assert.Contains("W_enc", error.Message);
    }

    [Fact]
    public void Rejects_big_endian_members_naming_file_member_and_descr()
    {
        var path = WriteZip(new HandMadeZip.Member("b_dec.npy", HandMadeNpy.Array(">f8", [1], new byte[8])));

        using var npz = NpzArchive.Open(path);
        var error = Assert.Throws<CheckpointException>(() => npz.Read("b_dec"));

        Assert.Contains(path, error.Message);
        Assert.Contains("b_dec.npy", error.Message);
        Assert.Contains("'>f8'", error.Message);
    }

    [Fact]
    public void Rejects_a_member_shorter_than_its_header_says()
    {
        var path = WriteZip(new HandMadeZip.Member("x.npy", HandMadeNpy.Array("<f4", [10], HandMadeNpy.Float32(1, 2, 3))));

        using var npz = NpzArchive.Open(path);
        var error = Assert.Throws<CheckpointException>(() => npz.Read("x"));

        Assert.Contains("x.npy", error.Message);
        Assert.Contains("[10]", error.Message);
    }

    [Fact]
    public void Rejects_a_truncated_archive()
    {
        var bytes = HandMadeZip.Build(new HandMadeZip.Member("x.npy", HandMadeNpy.Array("<f4", [64], HandMadeNpy.Float32(new float[64]))));
        var path = _directory.File("cut.npz");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CheckpointException>(() => NpzArchive.Open(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(NpzCompression.Stored, 0)]
    [InlineData(NpzCompression.Deflated, 8)]
    public void Writer_output_reads_back_with_the_chosen_compression(NpzCompression compression, int zipMethod)
    {
        using var matrix = arange(12, ScalarType.Float32).reshape(3, 4);
        using var scalars = tensor(new[] { 1.5, -2.5 });
        var path = _directory.File("written.npz");

        NpzWriter.Write(path, [new("matrix", matrix), new("scalars", scalars)], compression);
        using var npz = NpzArchive.Open(path);
        using var matrixBack = npz.Read("matrix");
        using var scalarsBack = npz.Read("scalars");

        Assert.Equal(new Dictionary<string, int> { ["matrix.npy"] = zipMethod, ["scalars.npy"] = zipMethod },
            HandMadeZip.Methods(File.ReadAllBytes(path)));
        TensorAssert.Close(matrix, matrixBack, 0);
        Assert.Equal(ScalarType.Float64, scalarsBack.dtype);
        TensorAssert.Close(scalars, scalarsBack, 0);
    }
}
