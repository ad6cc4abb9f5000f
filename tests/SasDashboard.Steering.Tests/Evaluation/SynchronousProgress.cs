namespace SasDashboard.Steering.Tests.Evaluation;

/// <summary>Records progress reports as they are made (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
