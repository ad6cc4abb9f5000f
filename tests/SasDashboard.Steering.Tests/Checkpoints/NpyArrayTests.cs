using SasDashboard.Steering.Checkpoints;
using static TorchSharp.torch;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Checkpoints;

public sealed class NpyArrayTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string WriteFile(byte[] bytes, string name = "array.npy")
    {
        File.WriteAllBytes(_directory.File(name), bytes);
        return _directory.File(name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_float32_arrays_with_every_header_version(int version)
    {
        var path = WriteFile(HandMadeNpy.Array("<f4", [2, 3], HandMadeNpy.Float32(1, 2, 3, 4, 5, 6), version: version));

        using var tensor = NpyArray.Read(path);

        Assert.Equal(ScalarType.Float32, tensor.dtype);
        Assert.Equal([2L, 3L], tensor.shape);
        TensorAssert.Equal([1, 2, 3, 4, 5, 6], tensor);
    }

    [Fact]
    public void Reads_float16_float64_and_int64_arrays_as_stored()
    {
        using var half = NpyArray.Read(WriteFile(HandMadeNpy.Array("<f2", [3], HandMadeNpy.Float16(0.5f, -2, 1024)), "half.npy"));
        using var wide = NpyArray.Read(WriteFile(HandMadeNpy.Array("<f8", [2], HandMadeNpy.Float64(1e-300, 3.25)), "double.npy"));
        using var integers = NpyArray.Read(WriteFile(HandMadeNpy.Array("<i8", [2], HandMadeNpy.Int64(-7, 1L << 40)), "int.npy"));

        Assert.Equal(ScalarType.Float16, half.dtype);
        TensorAssert.Equal([0.5f, -2, 1024], half);
        Assert.Equal(ScalarType.Float64, wide.dtype);
        Assert.Equal([1e-300, 3.25], wide.data<double>().ToArray());
        Assert.Equal(ScalarType.Int64, integers.dtype);
        Assert.Equal([-7L, 1L << 40], integers.data<long>().ToArray());
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float64)]
    public void Converts_to_the_requested_dtype(ScalarType dtype)
    {
        var path = WriteFile(HandMadeNpy.Array("<f4", [4], HandMadeNpy.Float32(1, -0.5f, 2.25f, 1024)));

        using var tensor = NpyArray.Read(path, dtype);

        Assert.Equal(dtype, tensor.dtype);
        TensorAssert.Equal([1, -0.5f, 2.25f, 1024], tensor);
    }

    [Fact]
    public void Reads_fortran_order_arrays_as_a_view_with_the_declared_shape()
    {
        // Column-major [[1, 2, 3], [4, 5, 6]] is stored as 1, 4, 2, 5, 3, 6.
        var path = WriteFile(HandMadeNpy.Array("<f4", [2, 3], HandMadeNpy.Float32(1, 4, 2, 5, 3, 6), fortranOrder: true));

        using var tensor = NpyArray.Read(path);

        Assert.Equal([2L, 3L], tensor.shape);
        Assert.False(tensor.is_contiguous());
        TensorAssert.Equal([1, 2, 3, 4, 5, 6], tensor);
    }

    [Fact]
    public void Rejects_big_endian_arrays_naming_the_file_and_descr()
    {
        var path = WriteFile(HandMadeNpy.Array(">f4", [2], HandMadeNpy.BigEndianFloat32(1, 2)));

        var error = Assert.Throws<CheckpointException>(() => NpyArray.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("'>f4'", error.Message);
        Assert.Contains("big-endian", error.Message);
    }

    [Theory]
    [InlineData("<c8")]
    [InlineData("<U4")]
    public void Rejects_unsupported_descr_naming_it(string descr)
    {
        var path = WriteFile(HandMadeNpy.Array(descr, [1], new byte[16]));

        var error = Assert.Throws<CheckpointException>(() => NpyArray.Read(path));

        Assert.Contains($"'{descr}'", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Rejects_a_truncated_array()
    {
        var bytes = HandMadeNpy.Array("<f4", [100], HandMadeNpy.Float32(new float[100]));
        var path = WriteFile(bytes[..^40]);

        var error = Assert.Throws<CheckpointException>(() => NpyArray.Read(path));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("[100]", error.Message);
    }

    [Fact]
    public void Rejects_files_without_the_magic()
    {
        var path = WriteFile("PK\u0003\u0004 not an array"u8.ToArray());

        var error = Assert.Throws<CheckpointException>(() => NpyArray.Read(path));

        Assert.Contains("NUMPY", error.Message);
    }

    [Fact]
    public void Written_arrays_have_numpys_aligned_header_and_read_back()
    {
        using var original = arange(24, ScalarType.Float32).reshape(2, 3, 4);
        var path = _directory.File("written.npy");

        NpyArray.Write(path, original);
        using var readBack = NpyArray.Read(path);

        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        Assert.Contains("'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Equal(10 + headerLength + 24 * 4, bytes.Length);
        TensorAssert.Close(original, readBack, 0);
    }

    [Fact]
    public void Writes_one_dimensional_shapes_as_python_one_tuples()
    {
        using var vector = ones(5);
        var path = _directory.File("vector.npy");

        NpyArray.Write(path, vector);

        Assert.Contains("'shape': (5,)", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(path)));
    }
}
