using SasDashboard.Steering.Checkpoints;

namespace SasDashboard.Steering.Saes;

/// <summary>The checks every SAE format makes before reading weights, with messages that name the file and tensor.</summary>
internal static class SaeFileChecks
{
    public static void InputSize(string source, long inputSize, int? expectedInputSize)
    {
        if (expectedInputSize is { } expected && inputSize != expected)
            throw new CheckpointException($"SAE {source} expects d_in={inputSize} but the model's hidden size is {expected}");
    }

    public static void Shape(string file, string name, long[] found, params long[] expected)
    {
        if (!found.SequenceEqual(expected))
            throw new CheckpointException(
                $"{file}: '{name}' has shape [{string.Join(", ", found)}], expected [{string.Join(", ", expected)}]");
    }
}
