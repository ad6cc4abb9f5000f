using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Testing;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Models;

public sealed class ResidualStreamHookTests : IDisposable
{
    private static readonly int[] Sequence = [2, 7, 19, 4, 33, 11];
    private readonly TempDirectory _temp = new();
    private readonly TinyCheckpoint _checkpoint;
    private readonly CausalLanguageModel _model;

    public ResidualStreamHookTests()
    {
        _checkpoint = TinyCheckpoint.Write(TinySpec.Gemma2, _temp.File("gemma"), seed: 5);
        _model = ModelLoader.Load(_checkpoint.Directory, ComputeTarget.Cpu);
    }

    /// <summary>Copies the residual stream after its layers.</summary>
    private sealed class Recorder(params int[] layers) : IResidualStreamHook
    {
        public Dictionary<int, Tensor> Seen { get; } = new();
        public IReadOnlyCollection<int> Layers => layers;

        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
        {
            Seen[layer] = residual.detach().clone().DetachFromDisposeScope();
            return residual;
        }
    }

    /// <summary>Adds a fixed vector at every position after its layer.</summary>
    private sealed class Adder(int layer, float[] vector) : IResidualStreamHook
    {
        public IReadOnlyCollection<int> Layers => [layer];

        public Tensor OnResidual(int l, Tensor residual, ForwardContext context) => residual + tensor(vector);
    }

    private static float[] Vector(int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void ReadingHook_SeesTheResidualStreamAfterEachChosenBlock()
    {
        var expected = new Dictionary<int, double[][]>();
        new ReferenceTransformer(_checkpoint).Run(Sequence, (l, x) => expected[l] = x.Select(r => r.ToArray()).ToArray());
        var recorder = new Recorder(0, 2);
        using var _ = _model.Forward(TensorAssert.Ids(Sequence), hooks: [recorder]);
        Assert.Equal([0, 2], recorder.Seen.Keys.Order());
        foreach (var (layer, seen) in recorder.Seen)
            for (int t = 0; t < Sequence.Length; t++)
                TensorAssert.Close(expected[layer][t], TensorAssert.Row(seen, 0, t), 1e-4, $"layer {layer}, position {t}");
    }

    [Fact]
    public void EditingHooksAtSeveralLayers_MatchTheReferenceWithTheSameEdits()
    {
        var v1 = Vector(TinySpec.Gemma2.Hidden, 1);
        var v2 = Vector(TinySpec.Gemma2.Hidden, 2);
        var expected = new ReferenceTransformer(_checkpoint).Run(Sequence, (layer, x) =>
        {
            var v = layer switch { 0 => v1, 1 => v2, _ => null };
            if (v is null) return;
            foreach (var row in x) for (int i = 0; i < row.Length; i++) row[i] += v[i];
        });
        using var logits = _model.Forward(TensorAssert.Ids(Sequence), hooks: [new Adder(0, v1), new Adder(1, v2)]);
        for (int t = 0; t < Sequence.Length; t++)
            TensorAssert.Close(expected[t], TensorAssert.Row(logits, 0, t), 1e-4, $"position {t}");
    }

    [Fact]
    public void HookThatReturnsItsInput_LeavesLogitsBitIdentical()
    {
        using var ids = TensorAssert.Ids(Sequence);
        using var plain = _model.Forward(ids);
        using var hooked = _model.Forward(ids, hooks: [new Recorder(0, 1, 2)]);
        Assert.True(plain.eq(hooked).all().item<bool>());
    }

    [Fact]
    public void EditingHook_AppliesDuringEveryDecodingStep()
    {
        var v = Vector(TinySpec.Gemma2.Hidden, 3);
        var reference = new ReferenceTransformer(_checkpoint);
        var sequence = Sequence.ToList();
        var expected = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            var last = reference.Run(sequence, (layer, x) =>
            {
                if (layer != 1) return;
                foreach (var row in x) for (int j = 0; j < row.Length; j++) row[j] += v[j];
            })[^1];
            int next = Array.IndexOf(last, last.Max());
            expected.Add(next);
            sequence.Add(next);
        }
        var result = TokenGenerator.Generate(_model, [Sequence], new GenerationOptions(5, StopAtEos: false), [1], 0,
            hooks: [new Adder(1, v)], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(expected, result[0].GeneratedIds);
    }

    [Fact]
    public void Context_MarksGeneratedTokensByCacheIndex()
    {
        var seen = new List<(long Past, long Prompt, long Tokens)>();
        var probe = new ContextProbe(seen);
        TokenGenerator.Generate(_model, [Sequence[..4], Sequence], new GenerationOptions(3, StopAtEos: false), [1], 0,
            hooks: [probe], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([(0L, 6L, 6L), (6L, 6L, 1L), (7L, 6L, 1L)], seen);
    }

    private sealed class ContextProbe(List<(long, long, long)> seen) : IResidualStreamHook
    {
        public IReadOnlyCollection<int> Layers => [0];

        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
        {
            seen.Add((context.PastLength, context.PromptLength, context.QueryLength));
            return residual;
        }
    }

    public void Dispose()
    {
        _model.Dispose();
        _temp.Dispose();
    }
}
