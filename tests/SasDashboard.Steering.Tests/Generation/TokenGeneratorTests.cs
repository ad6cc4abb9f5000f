using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Generation;

public sealed class TokenGeneratorTests : IDisposable
{
    private static readonly int[] Prompt = [2, 7, 19, 4];
    private readonly TempDirectory _temp = new();
    private readonly TinyCheckpoint _checkpoint;
    private readonly CausalLanguageModel _model;

    public TokenGeneratorTests()
    {
        _checkpoint = TinyCheckpoint.Write(TinySpec.Llama3, _temp.File("llama"), seed: 11);
        _model = ModelLoader.Load(_checkpoint.Directory, ComputeTarget.Cpu);
    }

    [Fact]
    public void Generation_StopsAtEos_AndKeepsTheEosToken()
    {
        var greedy = new ReferenceTransformer(_checkpoint).GreedyContinuation(Prompt, 6);
        int eos = greedy[2];
        int firstEos = greedy.IndexOf(eos);
        var result = TokenGenerator.Generate(_model, [Prompt], new GenerationOptions(20), [eos], 0,
            cancellationToken: TestContext.Current.CancellationToken)[0];
        Assert.True(result.StoppedAtEos);
        Assert.Equal(greedy[..(firstEos + 1)], result.GeneratedIds);
    }

    [Fact]
    public void RowsThatFinishEarly_AreCutAtTheirOwnEos()
    {
        var reference = new ReferenceTransformer(_checkpoint);
        IReadOnlyList<int>[] prompts = [Prompt, [2, 9]];
        var first = reference.GreedyContinuation(prompts[0], 8);
        var second = reference.GreedyContinuation(prompts[1], 8);
        int eos = first[1];
        var results = TokenGenerator.Generate(_model, prompts, new GenerationOptions(8), [eos], 0,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(first[..(first.IndexOf(eos) + 1)], results[0].GeneratedIds);
        int cut = second.IndexOf(eos);
        Assert.Equal(cut < 0 ? second : second[..(cut + 1)], results[1].GeneratedIds);
    }

    [Fact]
    public void SeededSampling_IsReproducible()
    {
        var options = new GenerationOptions(12, new SamplingOptions(Temperature: 1.5, TopP: 0.95, Seed: 1234), StopAtEos: false);
        var ct = TestContext.Current.CancellationToken;
        var a = TokenGenerator.Generate(_model, [Prompt], options, [1], 0, cancellationToken: ct)[0].GeneratedIds;
        var b = TokenGenerator.Generate(_model, [Prompt], options, [1], 0, cancellationToken: ct)[0].GeneratedIds;
        var c = TokenGenerator.Generate(_model, [Prompt], options with { Sampling = options.Sampler with { Seed = 99 } }, [1], 0,
            cancellationToken: ct)[0].GeneratedIds;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Progress_IsReportedForEveryStep()
    {
        var steps = new List<int>();
        TokenGenerator.Generate(_model, [Prompt], new GenerationOptions(5, StopAtEos: false), [1], 0,
            progress: new SynchronousProgress<GenerationProgress>(p => steps.Add(p.TokensGenerated)),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([1, 2, 3, 4, 5], steps);
    }

    [Fact]
    public void CancelledToken_StopsGeneration()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<GenerationProgress>(p => { if (p.TokensGenerated == 2) cancellation.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => TokenGenerator.Generate(_model, [Prompt],
            new GenerationOptions(50, StopAtEos: false), [1], 0, progress: progress, cancellationToken: cancellation.Token));
    }

    public void Dispose()
    {
        _model.Dispose();
        _temp.Dispose();
    }
}
