using SasDashboard.Steering.Demo;

namespace SasDashboard.Testing;

/// <summary>
/// The test-size demo workspace, built once per machine and shared by every test assembly (the workspace's own lock
/// makes concurrent test processes wait for one build). It lives in the temp folder, keyed by seed; a change of
/// recipe or generator version makes <see cref="DemoWorkspace.PrepareAsync(DemoSize, int, IProgress{DemoProgress}?, CancellationToken)"/> rebuild it.
/// </summary>
public sealed class DemoWorkspaceFixture : IAsyncLifetime
{
    public const int Seed = 1;

    public DemoWorkspace Workspace { get; } = new(Path.Combine(Path.GetTempPath(), $"sas-demo-test-seed{Seed}"));

    public DemoReport Report { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Report = await Workspace.PrepareAsync(DemoSize.Test, Seed, cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
