namespace SasDashboard.Steering.Tokenization;

/// <summary>Gemma's turns: <c>&lt;start_of_turn&gt;user\n…&lt;end_of_turn&gt;\n&lt;start_of_turn&gt;model\n</c>.</summary>
internal sealed class GemmaPromptTemplate : PromptTemplate
{
    public override string Name => "gemma";

    public override string ChatTemplate =>
        "{{ bos_token }}{% for message in messages %}{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}" +
        "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}";

    protected override string UserTurn(string message) => $"<start_of_turn>user\n{message}<end_of_turn>\n";

    protected override string AssistantTurn(string message) => $"<start_of_turn>model\n{message}<end_of_turn>\n";

    protected override string AssistantOpening(string prefix) => $"<start_of_turn>model\n{prefix}";
}
