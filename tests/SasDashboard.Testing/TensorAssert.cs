using static TorchSharp.torch;

namespace SasDashboard.Testing;

public static class TensorAssert
{
    /// <summary>Fails with the worst position and both values when any element differs by more than <paramref name="tolerance"/>.</summary>
    public static void Close(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        double worstError = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            if (double.IsNaN(actual[i]) || error > worstError) { worst = i; worstError = double.IsNaN(actual[i]) ? double.PositiveInfinity : error; }
        }
        Assert.True(worstError <= tolerance,
            $"{what}: element {worst} is {actual[worst]}, expected {expected[worst]} (|error| {worstError:g3} > {tolerance:g3})");
    }

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

    private static string Show(Tensor t) =>
        string.Join(", ", t.reshape(-1).data<double>().ToArray().Take(12).Select(v => v.ToString("G6")));

    public static float[] Row(Tensor logits, long batch, long position) =>
        logits[batch, position].to(ScalarType.Float32).cpu().data<float>().ToArray();

    public static Tensor Ids(params int[][] rows) =>
        tensor(rows.SelectMany(r => r.Select(v => (long)v)).ToArray(), [rows.Length, rows[0].Length], ScalarType.Int64);
}
