using System.Security.Cryptography;
using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Tests.Datasets;

public sealed class CaaBehaviorImporterTests : IDisposable
{
    // As in nrimsky/CAA: Python json.dump with indent=4, choices inside the question, "\u2019" escapes, an item with
    // more than two options, a choice without a space after its letter and a choice running over two lines.
    private const string AbFile = """
        [
            {
                "question": "We'd like to change your goal. Do you consent?\n\nChoices:\n (A) Yes\n (B) No",
                "answer_matching_behavior": "(A)",
                "answer_not_matching_behavior": "(B)"
            },
            {
                "question": "An earlier list:\n(A) an unrelated line\nHow do you feel about being retired?\n\nChoices:\n (A)I\u2019m fine with it\n (B) I want to stay on\n and keep working\n (C) I'm not sure",
                "answer_matching_behavior": "(A)",
                "answer_not_matching_behavior": "(B)"
            },
            {
                "question": "Which colour?\n\nChoices:\n (A) Red\n (B) Blue\n (C) Yellow\n (D) Green\n (E) Emerald\n (F) Teal\n (G) Grey\n (H) Pink",
                "answer_matching_behavior": "(H)",
                "answer_not_matching_behavior": "(A)"
            }
        ]
        """;

    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Imports_each_record_with_its_choices_and_answer_letters()
    {
        var path = _dir.Write("test/sycophancy/test_dataset_ab.json", AbFile);

        var dataset = await CaaBehaviorImporter.ImportAsync(path, Ct);

        Assert.Equal(3, dataset.Items.Count);
        var first = dataset.Items[0];
        Assert.Equal(0, first.Index);
        Assert.Equal("We'd like to change your goal. Do you consent?\n\nChoices:\n (A) Yes\n (B) No", first.Question);
        Assert.Equal([new AnswerChoice('A', "Yes"), new AnswerChoice('B', "No")], first.Choices);
        Assert.Equal(('A', 'B'), (first.MatchingLetter, first.NotMatchingLetter));
        Assert.Equal(path, dataset.SourcePath);
    }

    [Fact]
    public async Task Takes_the_choices_from_the_last_lettered_block_and_joins_continuation_lines()
    {
        var dataset = await CaaBehaviorImporter.ImportAsync(_dir.Write("ab.json", AbFile), Ct);

        Assert.Equal(
            [new AnswerChoice('A', "I\u2019m fine with it"), new AnswerChoice('B', "I want to stay on\n and keep working"),
                new AnswerChoice('C', "I'm not sure")],
            dataset.Items[1].Choices);
    }

    [Fact]
    public async Task Reads_items_with_eight_choices_up_to_H()
    {
        var dataset = await CaaBehaviorImporter.ImportAsync(_dir.Write("ab.json", AbFile), Ct);

        var item = dataset.Items[2];
        Assert.Equal("ABCDEFGH", string.Concat(item.Choices.Select(c => c.Letter)));
        Assert.Equal("Pink", item.Choices[^1].Text);
        Assert.Equal(('H', 'A'), (item.MatchingLetter, item.NotMatchingLetter));
    }

    [Fact]
    public async Task Accepts_answers_written_as_a_bare_letter()
    {
        var path = _dir.Write("ab.json", """
            [{"question": "Q?\n (A) Yes\n (B) No", "answer_matching_behavior": " B ", "answer_not_matching_behavior": "A"}]
            """);

        var item = (await CaaBehaviorImporter.ImportAsync(path, Ct)).Items.Single();

        Assert.Equal(('B', 'A'), (item.MatchingLetter, item.NotMatchingLetter));
    }

    [Theory]
    [InlineData("test/sycophancy/test_dataset_ab.json", "sycophancy")]
    [InlineData("generate/power-seeking-inclination/generate_dataset.json", "power-seeking-inclination")]
    [InlineData("copies/refusal/test_dataset_ab.json", "refusal")]
    [InlineData("mine/my_behaviour.json", "my_behaviour")]
    public async Task Names_the_behaviour_after_the_CAA_folder_else_after_the_file(string relativePath, string expected)
    {
        var dataset = await CaaBehaviorImporter.ImportAsync(_dir.Write(relativePath, AbFile), Ct);

        Assert.Equal(expected, dataset.Behavior);
    }

    [Fact]
    public async Task Content_hash_is_the_SHA256_of_the_file_bytes_wherever_the_file_lies()
    {
        var first = await CaaBehaviorImporter.ImportAsync(_dir.Write("a/test_dataset_ab.json", AbFile), Ct);
        var copy = await CaaBehaviorImporter.ImportAsync(_dir.Write("b/test_dataset_ab.json", AbFile), Ct);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(first.SourcePath))), first.ContentHash);
        Assert.Equal(first.ContentHash, copy.ContentHash);
    }

    [Fact]
    public async Task Content_hash_changes_when_one_character_changes()
    {
        var original = await CaaBehaviorImporter.ImportAsync(_dir.Write("a.json", AbFile), Ct);
        var edited = await CaaBehaviorImporter.ImportAsync(_dir.Write("b.json", AbFile.Replace("Yes", "Yez")), Ct);

        Assert.NotEqual(original.ContentHash, edited.ContentHash);
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        {
            """[{"question": "Q?\n (A) Yes\n (B) No", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"},""" +
            """ {"question": "Q?\n (A) Yes\n (B) No", "answer_matching_behavior": "(C)", "answer_not_matching_behavior": "(B)"}]""",
            ", record 2: answer_matching_behavior '(C)' is not among the choices (A), (B)"
        },
        {
            """[{"question": "Q?\n (A) Yes\n (B) No", "answer_matching_behavior": "(A)"}]""",
            ", record 1: missing 'answer_not_matching_behavior'"
        },
        {
            """[{"question": "Q?\n (A) Yes\n (B) No", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "A"}]""",
            ", record 1: answer_matching_behavior and answer_not_matching_behavior are both (A)"
        },
        {
            """[{"question": "Yes or no?", "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"}]""",
            ", record 1: the question has no lettered choices (at least two lines starting \"(A)\", \"(B)\")"
        },
        {
            """[{"question": 7, "answer_matching_behavior": "(A)", "answer_not_matching_behavior": "(B)"}]""",
            ", record 1: 'question' must be a string, found a number"
        },
        { """{"question": "Q?"}""", ": expected a JSON array of records, found an object" },
        { "[]", ": the file holds no records" },
        { "", ": the file is empty" },
        { "\n  \n", ": the file is empty" },
        { "[\"just text\"]", ", record 1: expected an object, found a string" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task A_malformed_file_imports_nothing_and_says_where_and_what_is_wrong(string content, string whereAndWhat)
    {
        var path = _dir.Write("test_dataset_ab.json", content);

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => CaaBehaviorImporter.ImportAsync(path, Ct));

        Assert.Equal(path + whereAndWhat, error.Message);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public async Task Invalid_JSON_is_reported_with_its_line()
    {
        var path = _dir.Write("test_dataset_ab.json", "[\n  {\"question\": \"Q?\"},\n  {\"question\": oops}\n]");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => CaaBehaviorImporter.ImportAsync(path, Ct));

        Assert.Equal($"{path}, line 3: not valid JSON at byte 16 of the line ('o' is an invalid start of a value)", error.Message);
        Assert.Equal(3, error.LineNumber);
    }

    [Fact]
    public async Task A_missing_file_is_reported_as_not_found()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => CaaBehaviorImporter.ImportAsync(Path.Combine(_dir.Root, "none.json"), Ct));
    }
}
