using SasDashboard.Steering.Models;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Generation;

/// <summary>One prompt's generation in text and ids (<see cref="GeneratedIds"/> holds the new tokens only).</summary>
public sealed record TextGenerationResult(string Prompt, IReadOnlyList<int> PromptIds, IReadOnlyList<int> GeneratedIds,
    string Text, bool StoppedAtEos);

/// <summary>Generation from text: tokenizes (with BOS as the model's tokenizer config says), generates, decodes.</summary>
public static class TextGenerator
{
    public static IReadOnlyList<TextGenerationResult> Generate(CausalLanguageModel model, ModelTokenizer tokenizer,
        IReadOnlyList<string> prompts, GenerationOptions options, IReadOnlyList<IResidualStreamHook>? hooks = null,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var ids = prompts.Select(p => tokenizer.Encode(p)).ToList();
        var sequences = TokenGenerator.Generate(model, ids, options, tokenizer.EosIds, tokenizer.PadId, hooks, progress,
            cancellationToken);
        return sequences.Select((s, i) => new TextGenerationResult(prompts[i], s.PromptIds, s.GeneratedIds,
            tokenizer.Decode(s.GeneratedIds), s.StoppedAtEos)).ToList();
    }
}
