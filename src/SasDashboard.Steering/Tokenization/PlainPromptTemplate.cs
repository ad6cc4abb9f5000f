namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// For base models without a chat template: <c>Question: …\nAnswer: …\n\n</c> per exchange, the common few-shot
/// layout. The open answer is "Answer:" followed by a space only when a prefix follows, so an empty prefix does not
/// leave a trailing space that byte-level tokenizers would turn into a token of its own.
/// </summary>
internal sealed class PlainPromptTemplate : PromptTemplate
{
    public override string Name => "plain";

    public override string? ChatTemplate => null;

    protected override string UserTurn(string message) => $"Question: {message}\n";

    protected override string AssistantTurn(string message) => $"Answer: {message}\n\n";

    protected override string AssistantOpening(string prefix) => prefix.Length == 0 ? "Answer:" : $"Answer: {prefix}";
}
