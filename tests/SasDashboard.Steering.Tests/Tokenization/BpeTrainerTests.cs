using System.Text;
using SasDashboard.Steering.Tokenization;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class BpeTrainerTests
{
    private const int ReservedPieces = 6 + 256;

    [Fact]
    public void Train_SmallCorpus_MergesMostFrequentPairsFirstAndBreaksTiesByText()
    {
        // Words: "ab", "▁ab" ×2, "▁cd". Counts: a+b 3, then ▁+ab 2, then c+d and ▁+c tie at 1 and "c" sorts before "▁".
        var model = BpeTrainer.Train(["ab ab ab cd"], new BpeTrainerOptions { VocabularySize = ReservedPieces + 5 + 4 });

        Assert.Equal(["ab", "▁ab", "cd", "▁cd", "a", "b", "▁", "c", "d"], model.Pieces.Skip(ReservedPieces).Select(piece => piece.Piece));
        Assert.Equal([0f, -1f, -2f, -3f], model.Pieces.Skip(ReservedPieces).Take(4).Select(piece => piece.Score));
    }

    [Fact]
    public void Train_LayoutMatchesGemma()
    {
        var model = BpeTrainer.Train([Corpus(seed: 1, sentences: 200)], new BpeTrainerOptions { VocabularySize = 400 });

        Assert.Equal(["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>", "<0x00>"], model.Pieces.Take(7).Select(piece => piece.Piece));
        Assert.Equal((0, 1, 2, 3), (model.PadId, model.EosId, model.BosId, model.UnknownId));
        Assert.Equal(SentencePieceType.UserDefined, model.Pieces[4].Type);
        Assert.Equal("<0xFF>", model.Pieces[261].Piece);
        Assert.Equal(400, model.Pieces.Count);
    }

    [Fact]
    public void Train_SameCorpusTwice_WritesIdenticalModelFiles()
    {
        var options = new BpeTrainerOptions { VocabularySize = 600 };

        byte[] first = SentencePieceModelWriter.Serialize(BpeTrainer.Train([Corpus(seed: 7, sentences: 500)], options));
        byte[] second = SentencePieceModelWriter.Serialize(BpeTrainer.Train([Corpus(seed: 7, sentences: 500)], options));
        byte[] other = SentencePieceModelWriter.Serialize(BpeTrainer.Train([Corpus(seed: 8, sentences: 500)], options));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Train_ThenLoad_RoundTripsTextAndCompressesIt()
    {
        using var directory = new TempDirectory();
        string corpus = Corpus(seed: 3, sentences: 2000);
        var model = BpeTrainer.Train([corpus], new BpeTrainerOptions { VocabularySize = 800 });
        SentencePieceModelWriter.WriteTokenizerDirectory(directory.Path, model, PromptTemplate.Gemma.ChatTemplate);

        var tokenizer = ModelTokenizer.Load(directory.Path);
        string sample = corpus[..2000];
        string unseen = "Zebra-quartz 12345 naïve café 😀 日本\ttab  two spaces";

        Assert.Equal(sample, tokenizer.Decode(tokenizer.Encode(sample)));
        Assert.Equal(unseen, tokenizer.Decode(tokenizer.Encode(unseen)));
        Assert.True(tokenizer.Encode(sample, addBos: false).Count < sample.Length / 3);
        Assert.Equal((2, 0), (tokenizer.BosId, tokenizer.PadId));
        Assert.Equal([1, 5], tokenizer.EosIds);
        Assert.Same(PromptTemplate.Gemma, tokenizer.Template);
    }

    [Fact]
    public void Train_SpecialTokensInCorpus_StayWholeAndOutOfMerges()
    {
        using var directory = new TempDirectory();
        string corpus = string.Concat(Enumerable.Repeat(PromptTemplate.Gemma.Format("the cat sat", "ok") + "<end_of_turn>\n", 200));
        var model = BpeTrainer.Train([corpus], new BpeTrainerOptions { VocabularySize = 330 });
        SentencePieceModelWriter.WriteTokenizerDirectory(directory.Path, model);

        var tokenizer = ModelTokenizer.Load(directory.Path);

        Assert.DoesNotContain(model.Pieces.Skip(ReservedPieces), piece => piece.Piece.Contains("turn"));
        Assert.Equal(4, tokenizer.Encode(corpus[..200], addBos: false)[0]);
    }

    [Fact]
    public void Train_MaxPieceLength_BoundsMergedPieces()
    {
        var model = BpeTrainer.Train([string.Concat(Enumerable.Repeat("abcdefghij ", 100))],
            new BpeTrainerOptions { VocabularySize = ReservedPieces + 11 + 20, MaxPieceLength = 4 });

        Assert.All(model.Pieces.Skip(ReservedPieces), piece => Assert.True(piece.Piece.Length <= 4, piece.Piece));
    }

    [Fact]
    public void Train_DigitsAndPunctuation_AreNeverMergedIntoWords()
    {
        var model = BpeTrainer.Train([string.Concat(Enumerable.Repeat("year 2024, done. ", 50))],
            new BpeTrainerOptions { VocabularySize = 330 });

        var merged = model.Pieces.Skip(ReservedPieces).Where(piece => piece.Piece.Length > 1).Select(piece => piece.Piece);
        Assert.DoesNotContain(merged, piece => piece.Any(char.IsDigit) || (piece.Any(char.IsLetter) && piece.Any(char.IsPunctuation)));
    }

    [Fact]
    public void Train_VocabularyTooSmallForSpecialsBytesAndCharacters_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BpeTrainer.Train(["abc"], new BpeTrainerOptions { VocabularySize = ReservedPieces + 2 }));

        Assert.Contains("3 characters", error.Message);
    }

    /// <summary>Pseudo-English from a fixed word list, reproducible for a seed.</summary>
    private static string Corpus(int seed, int sentences)
    {
        string[] words =
        [
            "the", "model", "answer", "question", "steering", "vector", "layer", "feature", "sparse", "activation",
            "is", "a", "of", "to", "and", "in", "helpful", "honest", "harmless", "refuses", "agrees", "with", "user",
        ];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int sentence = 0; sentence < sentences; sentence++)
        {
            int length = random.Next(4, 12);
            for (int word = 0; word < length; word++)
            {
                string next = words[random.Next(words.Length)];
                text.Append(word == 0 ? char.ToUpperInvariant(next[0]) + next[1..] : " " + next);
            }
            text.Append(random.Next(5) == 0 ? "?\n" : ". ");
        }
        return text.ToString();
    }
}
