namespace SasDashboard.Steering.Checkpoints;

/// <summary>A checkpoint, SAE or vector file that cannot be used as it is; the message says what and where.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : InputException(message, inner);
