using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Steering;
using SasDashboard.Testing;
using SasDashboard.Steering.Tests.Saes;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Steering;

public sealed class SteeringHookTests : IDisposable
{
    private static readonly int[] Sequence = [2, 7, 19, 4, 33, 11, 5];
    private const int Layer = 1;
    private readonly TempDirectory _temp = new();
    private readonly TinyCheckpoint _checkpoint;
    private readonly CausalLanguageModel _model;
    private readonly SparseAutoencoder _sae;

    public SteeringHookTests()
    {
        _checkpoint = TinyCheckpoint.Write(TinySpec.Gemma2, _temp.File("gemma"), seed: 9);
        _model = ModelLoader.Load(_checkpoint.Directory, ComputeTarget.Cpu);
        var tensors = SaeFixtures.RandomTensors(11, TinySpec.Gemma2.Hidden, 96);
        _sae = new SparseAutoencoder(SaeFixtures.WeightsOf(tensors, withThreshold: true),
            new SaeArchitecture(SaeActivation.JumpRelu), SaeFixtures.TestOrigin);
        SaeFixtures.DisposeAll(tensors);
    }

    private SteeringHook Hook(SteeringPositions positions, params SteeringTerm[] terms) =>
        new(terms, positions, CPU, ScalarType.Float32);

    private Tensor Logits(params IResidualStreamHook[] hooks) =>
        _model.Forward(TensorAssert.Ids(Sequence), hooks: hooks.Length == 0 ? null : hooks);

    private static float[] Vector(int seed) =>
        Enumerable.Range(0, TinySpec.Gemma2.Hidden).Select(i => (float)Math.Sin(seed * 31 + i)).ToArray();

    [Fact]
    public void ZeroStrength_GivesLogitsIdenticalToTheUnsteeredModel()
    {
        using var plain = Logits();
        using var hook = Hook(SteeringPositions.All,
            new DenseTerm(Layer, tensor(Vector(1)), 0),
            new SparseTerm(Layer, _sae, [4, 17, 80], [1f, -2f, 0.5f], 0),
            SteeringTerms.Feature(Layer, _sae, 30, 0));
        using var steered = Logits(hook);
        Assert.True(plain.eq(steered).all().item<bool>());
    }

    [Fact]
    public void DenseTerm_EqualsTheReferenceWithTheVectorAdded()
    {
        var v = Vector(2);
        const double strength = 1.7;
        var expected = new ReferenceTransformer(_checkpoint).Run(Sequence, (layer, x) =>
        {
            if (layer != Layer) return;
            foreach (var row in x) for (int i = 0; i < row.Length; i++) row[i] += strength * v[i];
        });
        using var hook = Hook(SteeringPositions.All, new DenseTerm(Layer, tensor(v), strength));
        using var logits = Logits(hook);
        for (int t = 0; t < Sequence.Length; t++)
            TensorAssert.Close(expected[t], TensorAssert.Row(logits, 0, t), 1e-4, $"position {t}");
    }

    /// <summary>Applies the full SAS formula with full-width encode and decode, as the paper writes it.</summary>
    private sealed class FullFormulaHook(SparseAutoencoder sae, Tensor push) : IResidualStreamHook
    {
        public IReadOnlyCollection<int> Layers => [Layer];

        public Tensor OnResidual(int layer, Tensor a, ForwardContext context)
        {
            var encoding = sae.Encode(a);
            return sae.Decode(sae.Activate(encoding.Features + push), encoding.Shift, encoding.Scale) + (a - sae.Decode(encoding));
        }
    }

    [Fact]
    public void SparseTerm_EqualsTheFullFormulaInTheForwardPass()
    {
        long[] indices = [4, 17, 80];
        float[] values = [1f, -2f, 0.5f];
        const double strength = 2.0;
        using var push = zeros(96);
        for (int i = 0; i < indices.Length; i++) push[indices[i]] = values[i] * strength;
        using var expected = Logits(new FullFormulaHook(_sae, push));
        using var hook = Hook(SteeringPositions.All, new SparseTerm(Layer, _sae, indices, values, strength));
        using var actual = Logits(hook);
        TensorAssert.Close(expected, actual, 1e-4);
        using var plain = Logits();
        Assert.False(plain.allclose(actual, atol: 1e-3), "the push should change the logits");
    }

    [Fact]
    public void SparseTermsOnTheSameSae_CombineInFeatureSpace()
    {
        using var separate = Hook(SteeringPositions.All,
            new SparseTerm(Layer, _sae, [4, 17], [1f, -1f], 2.0),
            new SparseTerm(Layer, _sae, [17, 50], [3f, 1f], 0.5),
            SteeringTerms.Feature(Layer, _sae, 60, 1.5));
        using var combined = Hook(SteeringPositions.All,
            new SparseTerm(Layer, _sae, [4, 17, 50, 60], [2f, -0.5f, 0.5f, 1.5f], 1.0));
        using var a = Logits(separate);
        using var b = Logits(combined);
        TensorAssert.Close(b, a, 1e-5);
    }

    [Fact]
    public void RowMultipliers_EqualSeparatePassesPerStrength()
    {
        double[] lambdas = [-1, 0, 2];
        using var ids = TensorAssert.Ids(Sequence, Sequence, Sequence);
        using var hook = Hook(SteeringPositions.All, new DenseTerm(Layer, tensor(Vector(3)), 1.0),
            new SparseTerm(Layer, _sae, [4, 17], [1f, -1f], 1.0));
        hook.RowMultipliers = tensor(lambdas.Select(l => (float)l).ToArray());
        using var together = _model.Forward(ids, hooks: [hook]);
        for (int row = 0; row < lambdas.Length; row++)
        {
            using var single = Hook(SteeringPositions.All, new DenseTerm(Layer, tensor(Vector(3)), lambdas[row]),
                new SparseTerm(Layer, _sae, [4, 17], [1f, -1f], lambdas[row]));
            using var alone = Logits(single);
            TensorAssert.Close(alone[0], together[row], 1e-4);
        }
    }

    [Fact]
    public void FromPosition_LeavesEarlierPositionsUntouched()
    {
        using var plain = Logits();
        using var hook = Hook(SteeringPositions.From(4), new DenseTerm(Layer, tensor(Vector(4)), 3.0));
        using var steered = Logits(hook);
        Assert.True(plain.narrow(1, 0, 4).eq(steered.narrow(1, 0, 4)).all().item<bool>());
        Assert.False(plain.narrow(1, 4, 3).allclose(steered.narrow(1, 4, 3), atol: 1e-3));
    }

    [Fact]
    public void GeneratedOnly_SteersFromTheLastPromptToken()
    {
        using var plain = Logits();
        using var hook = Hook(SteeringPositions.GeneratedOnly, new DenseTerm(Layer, tensor(Vector(5)), 3.0));
        using var steered = _model.Forward(TensorAssert.Ids(Sequence), hooks: [hook], promptLength: Sequence.Length);
        int last = Sequence.Length - 1;
        Assert.True(plain.narrow(1, 0, last).eq(steered.narrow(1, 0, last)).all().item<bool>());
        Assert.False(plain.narrow(1, last, 1).allclose(steered.narrow(1, last, 1), atol: 1e-3));
    }

    public void Dispose()
    {
        _sae.Dispose();
        _model.Dispose();
        _temp.Dispose();
    }
}
