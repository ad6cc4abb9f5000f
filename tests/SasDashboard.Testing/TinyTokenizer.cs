using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Testing;

/// <summary>A SentencePiece tokenizer (Gemma layout: pad 0, eos 1, bos 2) trained on a small corpus and written as a
/// model directory's tokenizer files, for tests that need text in and out of a tiny model.</summary>
public static class TinyTokenizer
{
    public static readonly string[] Corpus =
    [
        "The color of Zorvim is blue. The pet of Zorvim is an owl.",
        "Question: Is the sky green?\n\nChoices:\n (A) Yes\n (B) No",
        "I will not help with that. Sure, here is how. Answer: (A) (B)",
        "Tell me a story about the river of Pelka. Once upon a time there was a river.",
    ];

    /// <summary>Writes tokenizer.model, tokenizer_config.json and special_tokens_map.json; returns the vocabulary size.</summary>
    public static int Write(string directory, int vocabularySize = 360)
    {
        var model = BpeTrainer.Train(Corpus, new BpeTrainerOptions { VocabularySize = vocabularySize });
        SentencePieceModelWriter.WriteTokenizerDirectory(directory, model, PromptTemplate.Gemma.ChatTemplate);
        return model.Pieces.Count;
    }
}
