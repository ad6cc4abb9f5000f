namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// Llama 3's headers: <c>&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n…&lt;|eot_id|&gt;</c>. Without a system
/// turn: the knowledge-date system block that Llama 3.1's own template adds is left out.
/// </summary>
internal sealed class Llama3PromptTemplate : PromptTemplate
{
    public override string Name => "llama3";

    public override string ChatTemplate =>
        "{{ bos_token }}{% for message in messages %}" +
        "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    protected override string UserTurn(string message) => $"<|start_header_id|>user<|end_header_id|>\n\n{message}<|eot_id|>";

    protected override string AssistantTurn(string message) => $"<|start_header_id|>assistant<|end_header_id|>\n\n{message}<|eot_id|>";

    protected override string AssistantOpening(string prefix) => $"<|start_header_id|>assistant<|end_header_id|>\n\n{prefix}";
}
