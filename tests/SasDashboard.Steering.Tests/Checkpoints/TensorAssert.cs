using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Checkpoints;

public static class TensorAssert
{
    /// <summary>Same shape, and every element within <paramref name="tolerance"/> (absolute, plus the same relative).</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float64).cpu();
        var a = actual.to(ScalarType.Float64).cpu();
        var excess = (a - e).abs() - (e.abs() * tolerance + tolerance);
        double worst = excess.max().item<double>();
        Assert.True(worst <= 0,
            $"tensors differ by up to {worst + tolerance:G6} beyond tolerance {tolerance}:\nexpected {Show(e)}\nactual   {Show(a)}");
    }

    public static void Equal(float[] expected, Tensor actual)
    {
        using var values = actual.to(ScalarType.Float32).cpu().contiguous();
        Assert.Equal(expected, values.data<float>().ToArray());
    }

    private static string Show(Tensor t) => string.Join(", ", t.reshape(-1).data<double>().ToArray().Take(12).Select(v => v.ToString("G6")));
}
