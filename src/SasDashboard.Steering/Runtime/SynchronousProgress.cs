namespace SasDashboard.Steering.Runtime;

/// <summary>
/// Reports on the calling thread. <see cref="Progress{T}"/> posts to the synchronization context or the thread pool,
/// which reorders reports and cannot be waited on; an engine stage that forwards one progress type into another
/// needs them in order.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
