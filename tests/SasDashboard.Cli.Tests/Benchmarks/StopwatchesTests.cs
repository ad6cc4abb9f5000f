using SasDashboard.Cli.Benchmarks;

namespace SasDashboard.Cli.Tests.Benchmarks;

public sealed class StopwatchesTests
{
    [Theory]
    [InlineData("VmHWM:\t10895396 kB", 10895396L * 1024)]
    [InlineData("VmHWM:\t  527683 kB", 527683L * 1024)]
    public void StatusLineBytesReadsKilobytesWhateverThePadding(string line, long expected) =>
        Assert.Equal(expected, Stopwatches.StatusLineBytes(line));

    [Fact]
    public void PeakResidentBytesOfThisProcessIsPositive() => Assert.True(Stopwatches.PeakResidentBytes() > 0);
}
