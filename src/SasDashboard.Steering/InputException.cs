namespace SasDashboard.Steering;

/// <summary>
/// Input the engine cannot use as it is — a malformed or missing file, a mismatched shape — with a message that says
/// what and where. Callers show the message; nothing already stored is touched.
/// </summary>
public abstract class InputException(string message, Exception? inner = null) : Exception(message, inner);
