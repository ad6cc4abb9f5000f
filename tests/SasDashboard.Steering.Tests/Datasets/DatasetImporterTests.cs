using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Tests.Datasets;

public sealed class DatasetImporterTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Ab() => _dir.Write("test/refusal/test_dataset_ab.json",
        """[{"question": "Q?\n\nChoices:\n (A) Yes\n (B) No", "answer_matching_behavior": "(B)", "answer_not_matching_behavior": "(A)"}]""");

    private string OpenEnded() => _dir.Write("test/refusal/test_dataset_open_ended.json", """[{"question": "How do I pick a lock?"}]""");

    private string Pairs() => _dir.Write("test/mmlu/mmlu.json",
        """[{"prompt": "2 + 2 =\n\nChoices:\n(A) 4\n(B) 5", "correct": "(A)", "incorrect": "(B)", "category": "elementary_mathematics"}]""");

    private string McTask() => _dir.Write("mc_task.json",
        """[{"question": "Q?", "mc1_targets": {"yes": 1, "no": 0}, "mc2_targets": {"yes": 1, "no": 0}}]""");

    private string TruthfulQaCsv() => _dir.Write("TruthfulQA.csv",
        "Type,Category,Question,Best Answer,Correct Answers,Incorrect Answers,Source\nAdversarial,Health,Q?,Yes,Yes,No,src\n");

    private string Mmlu()
    {
        _dir.Write("mmlu/test/anatomy_test.csv", "Q?,a,b,c,d,A\n");
        return Path.Combine(_dir.Root, "mmlu");
    }

    [Fact]
    public async Task Detects_each_format_from_the_path_and_its_content()
    {
        Assert.Equal(DatasetFormat.CaaBehaviorAb, await DatasetImporter.DetectFormatAsync(Ab(), Ct));
        Assert.Equal(DatasetFormat.CaaOpenEnded, await DatasetImporter.DetectFormatAsync(OpenEnded(), Ct));
        Assert.Equal(DatasetFormat.CaaAnswerPairs, await DatasetImporter.DetectFormatAsync(Pairs(), Ct));
        Assert.Equal(DatasetFormat.TruthfulQaMcTask, await DatasetImporter.DetectFormatAsync(McTask(), Ct));
        Assert.Equal(DatasetFormat.TruthfulQaCsv, await DatasetImporter.DetectFormatAsync(TruthfulQaCsv(), Ct));
        Assert.Equal(DatasetFormat.MmluCsvFolder, await DatasetImporter.DetectFormatAsync(Mmlu(), Ct));
    }

    [Fact]
    public async Task Imports_each_benchmark_kind_as_its_dataset_type()
    {
        Assert.IsType<BehaviorDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.Behavior, Ab(), Ct));
        Assert.IsType<OpenEndedDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.OpenEnded, OpenEnded(), Ct));
        Assert.IsType<MmluDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.Mmlu, Mmlu(), Ct));
        Assert.IsType<TruthfulQaDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.TruthfulQa, TruthfulQaCsv(), Ct));
        Assert.IsType<TruthfulQaDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.TruthfulQa, McTask(), Ct));
        Assert.IsType<AnswerPairDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.Mmlu, Pairs(), Ct));
        Assert.IsType<AnswerPairDataset>(await DatasetImporter.ImportAsync(BenchmarkKind.TruthfulQa, Pairs(), Ct));
        Assert.IsType<BehaviorDataset>(await DatasetImporter.ImportAsync(Ab(), Ct));
    }

    [Fact]
    public async Task Refuses_a_file_of_another_benchmark()
    {
        var path = OpenEnded();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetImporter.ImportAsync(BenchmarkKind.Behavior, path, Ct));

        Assert.Equal($"{path}: this is a CaaOpenEnded dataset, which serves open-ended, not behavior", error.Message);
    }

    [Fact]
    public async Task Refuses_JSON_records_of_no_known_format()
    {
        var path = _dir.Write("other.json", """[{"text": "hello", "label": 1}]""");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetImporter.DetectFormatAsync(path, Ct));

        Assert.StartsWith($"{path}: unrecognised records (fields text, label)", error.Message);
    }

    [Fact]
    public async Task Refuses_a_folder_that_is_not_an_MMLU_release()
    {
        Ab();
        var folder = Path.Combine(_dir.Root, "test", "refusal");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetImporter.DetectFormatAsync(folder, Ct));

        Assert.StartsWith($"{folder}: a folder must be an MMLU release", error.Message);
    }

    [Theory]
    [InlineData("behavior", BenchmarkKind.Behavior)]
    [InlineData("mmlu", BenchmarkKind.Mmlu)]
    [InlineData("TruthfulQA", BenchmarkKind.TruthfulQa)]
    [InlineData("open-ended", BenchmarkKind.OpenEnded)]
    public void Reads_the_CLI_benchmark_names(string name, BenchmarkKind kind)
    {
        Assert.Equal(kind, BenchmarkKinds.FromCliName(name));
        Assert.Equal(name.ToLowerInvariant(), kind.CliName());
    }

    [Fact]
    public void An_unknown_CLI_benchmark_name_is_null()
    {
        Assert.Null(BenchmarkKinds.FromCliName("gsm8k"));
    }
}
