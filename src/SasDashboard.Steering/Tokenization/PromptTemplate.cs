using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// How a model expects a conversation to be written: the user's turns, the assistant's answers, and the opening of
/// the answer it should write next. Formatted text never contains BOS; <see cref="ModelTokenizer.Encode"/> adds it.
/// Messages are trimmed, as the Gemma and Llama 3 chat templates do; the assistant prefix is kept exactly.
/// </summary>
public abstract class PromptTemplate
{
    public static readonly PromptTemplate Gemma = new GemmaPromptTemplate();
    public static readonly PromptTemplate Llama3 = new Llama3PromptTemplate();
    public static readonly PromptTemplate Plain = new PlainPromptTemplate();

    private static readonly PromptTemplate[] All = [Gemma, Llama3, Plain];

    /// <summary>"gemma", "llama3" or "plain".</summary>
    public abstract string Name { get; }

    /// <summary>A Jinja chat template for <c>tokenizer_config.json</c> that writes the same format; null for plain text.</summary>
    public abstract string? ChatTemplate { get; }

    /// <summary>One user turn and the start of the assistant's answer, ending with <paramref name="assistantPrefix"/>.</summary>
    public string Format(string userMessage, string assistantPrefix = "") => FormatConversation([], userMessage, assistantPrefix);

    /// <summary>Earlier exchanges (few-shot examples) followed by the next user turn and the start of the answer.</summary>
    public string FormatConversation(IReadOnlyList<(string User, string Assistant)> turns, string nextUser, string assistantPrefix = "")
    {
        var text = new StringBuilder();
        foreach (var (user, assistant) in turns) text.Append(UserTurn(user.Trim())).Append(AssistantTurn(assistant.Trim()));
        return text.Append(UserTurn(nextUser.Trim())).Append(AssistantOpening(assistantPrefix)).ToString();
    }

    public static PromptTemplate FromName(string name) =>
        All.FirstOrDefault(template => string.Equals(template.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown prompt template '{name}' (known: {string.Join(", ", All.Select(template => template.Name))})", nameof(name));

    /// <summary>
    /// The format a model's <c>chat_template</c> writes: Gemma's turn markers, Llama 3's header markers, or plain text
    /// for base models without a chat template (and templates of other families).
    /// </summary>
    public static PromptTemplate ForChatTemplate(string? chatTemplate) => chatTemplate switch
    {
        null => Plain,
        _ when chatTemplate.Contains("start_of_turn", StringComparison.Ordinal) => Gemma,
        _ when chatTemplate.Contains("start_header_id", StringComparison.Ordinal) => Llama3,
        _ => Plain,
    };

    public override string ToString() => Name;

    protected abstract string UserTurn(string message);

    protected abstract string AssistantTurn(string message);

    protected abstract string AssistantOpening(string prefix);
}
