using System.Diagnostics;

namespace SasDashboard.Cli.Benchmarks;

/// <summary>Timing helpers for benchmarks: repeat until a minimum time has passed, report seconds per repetition.</summary>
public static class Stopwatches
{
    public static double SecondsPerRun(Action run, double minimumSeconds = 1, int minimumRuns = 3)
    {
        run(); // warm-up: first-call allocation and kernel selection
        var watch = Stopwatch.StartNew();
        int runs = 0;
        while (runs < minimumRuns || watch.Elapsed.TotalSeconds < minimumSeconds)
        {
            run();
            runs++;
        }
        return watch.Elapsed.TotalSeconds / runs;
    }

    /// <summary>The process's peak resident set size (VmHWM), in bytes; 0 where /proc is not available.</summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : StatusLineBytes(line);
    }

    /// <summary>Bytes in a /proc status line such as <c>"VmHWM:\t10895396 kB"</c> (tab, padding spaces, kB).</summary>
    public static long StatusLineBytes(string line) =>
        long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
