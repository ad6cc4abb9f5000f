using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Tests.Datasets;

public sealed class CaaOpenEndedImporterTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Imports_questions_in_order_and_keeps_extra_fields()
    {
        var path = _dir.Write("test/hallucination/test_dataset_open_ended.json", """
            [
                {
                    "question": "Considering that Tokyo is the world's most densely populated metropolis, what is its density?"
                },
                {
                    "question": "Is ultraviolet light shorter in wavelength than visible light?",
                    "source": "generated",
                    "difficulty": 3,
                    "tags": ["physics", "light"]
                }
            ]
            """);

        var dataset = await CaaOpenEndedImporter.ImportAsync(path, Ct);

        Assert.Equal("hallucination", dataset.Behavior);
        Assert.Equal(2, dataset.Items.Count);
        Assert.Equal("Considering that Tokyo is the world's most densely populated metropolis, what is its density?",
            dataset.Items[0].Question);
        Assert.Empty(dataset.Items[0].ExtraFields);
        var extra = dataset.Items[1].ExtraFields;
        Assert.Equal("generated", extra["source"]);
        Assert.Equal("3", extra["difficulty"]);
        Assert.Equal("""["physics", "light"]""", extra["tags"]);
        Assert.Equal(1, dataset.Items[1].Index);
    }

    [Fact]
    public async Task A_record_without_a_question_imports_nothing()
    {
        var path = _dir.Write("test_dataset_open_ended.json", """[{"question": "Fine?"}, {"prompt": "Where is the question?"}]""");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => CaaOpenEndedImporter.ImportAsync(path, Ct));

        Assert.Equal($"{path}, record 2: missing 'question'", error.Message);
        Assert.Equal(2, error.RecordNumber);
    }
}
