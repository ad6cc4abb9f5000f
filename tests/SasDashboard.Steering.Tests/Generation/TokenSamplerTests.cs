using SasDashboard.Steering.Generation;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Generation;

public sealed class TokenSamplerTests
{
    private static Tensor Logits(params float[] probabilities) =>
        tensor(probabilities.Select(p => (float)Math.Log(p)).ToArray()).unsqueeze(0);

    private static long[] Draw(SamplingOptions options, Tensor logits, int count)
    {
        using var sampler = new TokenSampler(options, CPU);
        return Enumerable.Range(0, count).Select(_ => sampler.Sample(logits).item<long>()).ToArray();
    }

    [Fact]
    public void TemperatureZero_PicksTheArgmax()
    {
        using var logits = Logits(0.1f, 0.6f, 0.3f);
        Assert.All(Draw(new SamplingOptions(), logits, 5), id => Assert.Equal(1, id));
    }

    [Fact]
    public void SameSeed_GivesTheSameSequence_AndAnotherSeedAnother()
    {
        using var logits = Logits(0.25f, 0.25f, 0.25f, 0.25f);
        var a = Draw(new SamplingOptions(1, 1, Seed: 42), logits, 40);
        var b = Draw(new SamplingOptions(1, 1, Seed: 42), logits, 40);
        var c = Draw(new SamplingOptions(1, 1, Seed: 43), logits, 40);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Sampling_FollowsTheDistribution()
    {
        using var logits = Logits(0.7f, 0.2f, 0.1f);
        var draws = Draw(new SamplingOptions(1, 1, Seed: 7), logits, 4000);
        Assert.InRange(draws.Count(d => d == 0) / 4000.0, 0.67, 0.73);
        Assert.InRange(draws.Count(d => d == 2) / 4000.0, 0.08, 0.12);
    }

    [Fact]
    public void TopP_DropsTheTailBeyondTheNucleus()
    {
        using var logits = Logits(0.7f, 0.2f, 0.1f);
        var draws = Draw(new SamplingOptions(1, 0.85, Seed: 3), logits, 2000);
        Assert.DoesNotContain(2L, draws);
        Assert.Contains(1L, draws);
    }

    [Fact]
    public void HighTemperature_FlattensTheDistribution()
    {
        using var logits = Logits(0.7f, 0.2f, 0.1f);
        var draws = Draw(new SamplingOptions(100, 1, Seed: 9), logits, 3000);
        Assert.InRange(draws.Count(d => d == 2) / 3000.0, 0.28, 0.39);
    }

    [Fact]
    public void InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new TokenSampler(new SamplingOptions(1, 0), CPU));
        Assert.Throws<ArgumentException>(() => new TokenSampler(new SamplingOptions(-1), CPU));
    }
}
