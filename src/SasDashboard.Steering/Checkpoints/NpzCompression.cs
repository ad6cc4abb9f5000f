namespace SasDashboard.Steering.Checkpoints;

/// <summary>How <see cref="NpzWriter"/> stores members: as is (<c>np.savez</c>) or deflated (<c>np.savez_compressed</c>).</summary>
public enum NpzCompression
{
    Stored,
    Deflated,
}
