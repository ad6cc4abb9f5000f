using SasDashboard.Steering.Saes;
using SasDashboard.Testing;
using SasDashboard.Steering.Tests.Saes;
using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Vectors;

public sealed class VectorBuilderTests
{
    private static readonly VectorProvenance Provenance = new("tiny", 3, 4, "hash", 3, "gemma", "sycophancy");

    private static ContrastiveActivations Activations(float[,] positive, float[,] negative) =>
        new() { Layer = 3, Positive = tensor(positive), Negative = tensor(negative) };

    [Fact]
    public void Caa_IsTheMeanDifferenceOfPairs()
    {
        using var activations = Activations(
            new float[,] { { 1, 2, 3, 4 }, { 3, 2, 1, 0 }, { 2, 2, 2, 2 } },
            new float[,] { { 0, 0, 0, 0 }, { 1, 1, 1, 1 }, { 2, 0, 2, 0 } });
        using var vector = CaaVectorBuilder.Build(activations, Provenance);
        TensorAssert.Equal([1, 5f / 3, 1, 5f / 3], vector.Dense);
        Assert.Equal(SteeringMethod.Caa, vector.Method);
        Assert.Equal(4, vector.L0);
    }

    [Fact]
    public void Sas_WithAnIdentityEncoder_SelectsAndDecodesAsTheRuleSays()
    {
        // Encoder = identity with ReLU, so the codes are the activations themselves (clipped at zero).
        var weights = new SaeWeights(eye(4), zeros(4), eye(4) * 2, zeros(4), null);
        using var sae = new SparseAutoencoder(weights, new SaeArchitecture(SaeActivation.Relu), SaeFixtures.TestOrigin);
        using var activations = Activations(
            new float[,] { { 1, 2, 0, 1 }, { 1, 4, 0, 1 }, { 1, 0, 0, 1 } },
            new float[,] { { 1, 0, 3, 1 }, { 1, 0, 3, 0 }, { 1, 0, 0, 0 } });
        using var vector = SasVectorBuilder.Build(activations, sae, new SasOptions(Tau: 0.5), Provenance, "identity-sae", TestContext.Current.CancellationToken);
        // f0 shared (dropped); f1 active 2/3 on the positive side; f2 2/3 on the negative side; f3 shared at τ 0.5? positive 3/3, negative 1/3 → positive only.
        Assert.Equal([1L, 2L, 3L], vector.FeatureIndices!.data<long>().ToArray());
        TensorAssert.Equal([2f, -2f, 1f], vector.FeatureValues!);
        TensorAssert.Equal([0, 4f, -4f, 2f], vector.Dense); // v · W_dec with W_dec = 2·I
        Assert.Equal(3, vector.L0);
        Assert.Equal(Math.Sqrt(16 + 16 + 4), vector.Norm, 5);
    }

    [Fact]
    public void Sas_EncodingInChunks_EqualsOneBatch()
    {
        var tensors = SaeFixtures.RandomTensors(3, 8, 40);
        using var sae = new SparseAutoencoder(SaeFixtures.WeightsOf(tensors, true), new SaeArchitecture(SaeActivation.JumpRelu),
            SaeFixtures.TestOrigin);
        SaeFixtures.DisposeAll(tensors);
        // 600 pairs: more than one encoding chunk.
        using var activations = new ContrastiveActivations
        {
            Layer = 3, Positive = SaeFixtures.RandomInputs(1, 600, 8), Negative = SaeFixtures.RandomInputs(2, 600, 8),
        };
        using var vector = SasVectorBuilder.Build(activations, sae, new SasOptions(Tau: 0.3), Provenance with { HiddenSize = 8 }, "x", TestContext.Current.CancellationToken);
        using var positive = new FeatureStatistics(40);
        using var negative = new FeatureStatistics(40);
        positive.Accumulate(sae.Encode(activations.Positive).Features);
        negative.Accumulate(sae.Encode(activations.Negative).Features);
        var expected = SasFeatureSelection.Select(positive, negative, new SasOptions(Tau: 0.3));
        Assert.NotEmpty(expected.Indices);
        Assert.Equal(expected.Indices, vector.FeatureIndices!.data<long>().ToArray());
        Assert.Equal(expected.Values, vector.FeatureValues!.data<float>().ToArray());
    }

    [Fact]
    public void Sas_RejectsAnSaeOfAnotherWidth()
    {
        var weights = new SaeWeights(eye(3), zeros(3), eye(3), zeros(3), null);
        using var sae = new SparseAutoencoder(weights, new SaeArchitecture(SaeActivation.Relu), SaeFixtures.TestOrigin);
        using var activations = Activations(new float[,] { { 1, 2, 3, 4 } }, new float[,] { { 0, 0, 0, 0 } });
        var error = Assert.Throws<ArgumentException>(() =>
            SasVectorBuilder.Build(activations, sae, new SasOptions(), Provenance, "narrow-sae", TestContext.Current.CancellationToken));
        Assert.Contains("narrow-sae expects d_in=3 but the activations have hidden size 4", error.Message);
    }
}
