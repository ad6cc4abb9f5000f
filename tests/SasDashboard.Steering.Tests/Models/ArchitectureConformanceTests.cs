using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Testing;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Models;

/// <summary>
/// Checks one architecture against the plain reference implementation: unpadded and left-padded batches, KV-cached
/// decoding, greedy generation, sharded and reduced-precision checkpoints.
/// </summary>
public abstract class ArchitectureConformanceTests : IDisposable
{
    protected const double Tolerance = 1e-4;
    protected static readonly int[] Sequence = [2, 7, 19, 4, 33, 11, 5, 28];
    private readonly TempDirectory _temp = new();

    protected abstract TinySpec Spec { get; }

    protected TinyCheckpoint Write(string dtype = "F32", int shards = 1, TinySpec? spec = null) =>
        TinyCheckpoint.Write(spec ?? Spec, _temp.File($"{dtype}-{shards}-{(spec ?? Spec).Tied}"), seed: 3, dtype, shards);

    protected static CausalLanguageModel Load(TinyCheckpoint checkpoint, string dtype = "f32") =>
        ModelLoader.Load(checkpoint.Directory, ComputeTarget.Parse("cpu", dtype));

    protected static void AssertMatchesReference(TinyCheckpoint checkpoint, CausalLanguageModel model, int[] tokens,
        double tolerance = Tolerance)
    {
        var expected = new ReferenceTransformer(checkpoint).Logits(tokens);
        using var logits = model.Forward(TensorAssert.Ids(tokens));
        for (int t = 0; t < tokens.Length; t++)
            TensorAssert.Close(expected[t], TensorAssert.Row(logits, 0, t), tolerance, $"position {t}");
    }

    [Fact]
    public void Forward_MatchesReferenceImplementation()
    {
        var checkpoint = Write();
        using var model = Load(checkpoint);
        AssertMatchesReference(checkpoint, model, Sequence);
    }

    [Fact]
    public void Forward_LeftPaddedBatch_MatchesReferencePerSequence()
    {
        var checkpoint = Write();
        using var model = Load(checkpoint);
        var reference = new ReferenceTransformer(checkpoint);
        int[][] prompts = [Sequence, Sequence[3..], Sequence[..2]];
        var (ids, mask) = TokenGenerator.LeftPad(prompts.Select(p => (IReadOnlyList<int>)p).ToList(), Sequence.Length, 0, 0, CPU);
        using var logits = model.Forward(ids, mask);
        for (int b = 0; b < prompts.Length; b++)
        {
            var expected = reference.Logits(prompts[b]);
            int offset = Sequence.Length - prompts[b].Length;
            for (int t = 0; t < prompts[b].Length; t++)
                TensorAssert.Close(expected[t], TensorAssert.Row(logits, b, offset + t), Tolerance, $"row {b}, position {t}");
        }
    }

    [Fact]
    public void KvCachedDecoding_MatchesReferenceAtEveryStep()
    {
        var checkpoint = Write();
        using var model = Load(checkpoint);
        var expected = new ReferenceTransformer(checkpoint).Logits(Sequence);
        using var cache = new KvCache(model.Config, 1, Sequence.Length, ScalarType.Float32, CPU);
        using (var prefill = model.Forward(TensorAssert.Ids(Sequence[..5]), cache: cache, lastTokenOnly: true))
            TensorAssert.Close(expected[4], TensorAssert.Row(prefill, 0, 0), Tolerance, "prefill");
        for (int t = 5; t < Sequence.Length; t++)
        {
            using var step = model.Forward(TensorAssert.Ids([Sequence[t]]), cache: cache);
            TensorAssert.Close(expected[t], TensorAssert.Row(step, 0, 0), Tolerance, $"decode step at position {t}");
        }
    }

    [Fact]
    public void GreedyGeneration_BatchedWithLeftPadding_MatchesReferenceContinuation()
    {
        var checkpoint = Write();
        using var model = Load(checkpoint);
        var reference = new ReferenceTransformer(checkpoint);
        IReadOnlyList<int>[] prompts = [Sequence[..6], Sequence[..3], [2]];
        var results = TokenGenerator.Generate(model, prompts, new GenerationOptions(MaxNewTokens: 6, StopAtEos: false),
            eosIds: [1], padId: 0, cancellationToken: TestContext.Current.CancellationToken);
        for (int b = 0; b < prompts.Length; b++)
            Assert.Equal(reference.GreedyContinuation(prompts[b], 6), results[b].GeneratedIds);
    }

    [Fact]
    public void ShardedCheckpoint_LoadsTheSameModel()
    {
        var checkpoint = Write(shards: 3);
        Assert.True(File.Exists(Path.Combine(checkpoint.Directory, "model.safetensors.index.json")));
        using var model = Load(checkpoint);
        AssertMatchesReference(checkpoint, model, Sequence);
    }

    [Theory]
    [InlineData("BF16")]
    [InlineData("F16")]
    public void ReducedPrecisionWeights_AreConvertedToTheComputeDType(string storedDType)
    {
        var checkpoint = Write(storedDType);
        using var model = Load(checkpoint);
        Assert.All(model.NamedWeights(), p => Assert.Equal(ScalarType.Float32, p.Weight.dtype));
        AssertMatchesReference(checkpoint, model, Sequence);
    }

    [Fact]
    public void Bf16Compute_StaysCloseToTheReference()
    {
        var checkpoint = Write("BF16");
        using var model = Load(checkpoint, "bf16");
        Assert.All(model.NamedWeights(), p => Assert.Equal(ScalarType.BFloat16, p.Weight.dtype));
        AssertMatchesReference(checkpoint, model, Sequence, tolerance: 0.25);
    }

    [Fact]
    public void SavedModel_ReloadsWithIdenticalLogits()
    {
        var checkpoint = Write();
        using var model = Load(checkpoint);
        var copy = Path.Combine(_temp.Path, "saved");
        ModelCheckpointWriter.Save(model, copy);
        using var reloaded = ModelLoader.Load(copy, ComputeTarget.Cpu);
        using var ids = TensorAssert.Ids(Sequence);
        using var a = model.Forward(ids);
        using var b = reloaded.Forward(ids);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.Equal(model.Config with { TorchDType = "float32" }, reloaded.Config with { EosTokenIds = model.Config.EosTokenIds });
    }

    public void Dispose() => _temp.Dispose();
}

public sealed class Gemma2Tests : ArchitectureConformanceTests
{
    protected override TinySpec Spec => TinySpec.Gemma2;

    [Fact]
    public void SlidingWindow_HidesTokensOlderThanTheWindowOnEvenLayers()
    {
        // With one layer (index 0, sliding, window 3), the last position cannot see the first token at all.
        var spec = Spec with { Layers = 1 };
        var checkpoint = Write(spec: spec);
        using var model = Load(checkpoint);
        using var a = model.Forward(TensorAssert.Ids([5, 9, 12, 13, 14]), lastTokenOnly: true);
        using var b = model.Forward(TensorAssert.Ids([6, 9, 12, 13, 14]), lastTokenOnly: true);
        Assert.True(a.allclose(b, rtol: 0, atol: 1e-6));
        AssertMatchesReference(checkpoint, model, Sequence);
    }

    [Fact]
    public void FinalLogits_AreSoftCapped()
    {
        var checkpoint = Write();
        using var model = Load(checkpoint);
        using var logits = model.Forward(TensorAssert.Ids(Sequence));
        Assert.True(logits.abs().max().item<float>() < Spec.FinalSoftcap);
    }
}

public sealed class LlamaTests : ArchitectureConformanceTests
{
    protected override TinySpec Spec => TinySpec.Llama3;

    [Fact]
    public void TiedHead_UsesTheEmbeddingMatrix()
    {
        var checkpoint = Write(spec: Spec with { Tied = true });
        Assert.DoesNotContain("lm_head.weight", checkpoint.Weights.Keys);
        using var model = Load(checkpoint);
        Assert.DoesNotContain(model.NamedWeights(), p => p.Name == "lm_head.weight");
        AssertMatchesReference(checkpoint, model, Sequence);
    }

    [Fact]
    public void WithoutRopeScaling_MatchesReference()
    {
        var checkpoint = Write(spec: Spec with { Llama3Scaling = null, RopeTheta = 10000 });
        using var model = Load(checkpoint);
        Assert.Null(model.Config.RopeScaling);
        AssertMatchesReference(checkpoint, model, Sequence);
    }
}
