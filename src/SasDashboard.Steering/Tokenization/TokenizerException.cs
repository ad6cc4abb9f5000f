namespace SasDashboard.Steering.Tokenization;

/// <summary>A tokenizer file that cannot be used as it is; the message names the file and the problem.</summary>
public sealed class TokenizerException(string filePath, string problem, Exception? inner = null)
    : InputException($"{filePath}: {problem}", inner)
{
    public string FilePath { get; } = filePath;
    public string Problem { get; } = problem;
}
