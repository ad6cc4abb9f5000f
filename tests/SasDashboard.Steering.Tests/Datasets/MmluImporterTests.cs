using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Tests.Datasets;

public sealed class MmluImporterTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A small release in the original layout: data/{dev,val,test}/&lt;subject&gt;_&lt;split&gt;.csv, no header.</summary>
    private string WriteRelease(string root = "mmlu")
    {
        _dir.Write($"{root}/data/dev/abstract_algebra_dev.csv",
            "Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.,0,1,2,3,B\n" +
            "\"Statement 1 | If aH is an element of a factor group, then |aH| divides |a|. Statement 2 | If H and K are subgroups of G then HK is a subgroup of G.\",\"True, True\",\"False, False\",\"True, False\",\"False, True\",B\n");
        _dir.Write($"{root}/data/test/abstract_algebra_test.csv",
            "\"Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\",0,4,2,6,B\r\n" +
            "\"Statement 1 | Every field is also a ring.\nStatement 2 | Every ring has a multiplicative identity.\",\"True, True\",\"False, False\",\"True, False\",\"False, True\",C\r\n" +
            "\"The word \"\"ring\"\" here means what?\",a set,a group,\"a set with + and ×\",a field,C\r\n");
        _dir.Write($"{root}/data/test/anatomy_test.csv", "What is the embryological origin of the hyoid bone?,The first pharyngeal arch,The first and second pharyngeal arches,The second pharyngeal arch,The second and third pharyngeal arches,D\n");
        _dir.Write($"{root}/data/val/anatomy_val.csv", "Which of the following is the body cavity that contains the pituitary gland?,Abdominal,Cranial,Pleural,Spinal,B\n");
        _dir.Write($"{root}/data/auxiliary_train/ignored.csv", "not, an, mmlu, split\n");
        _dir.Write($"{root}/data/test/README.txt", "not a CSV");
        return Path.Combine(_dir.Root, root, "data");
    }

    [Fact]
    public async Task Imports_every_split_with_subjects_from_file_names()
    {
        var dataset = await MmluImporter.ImportAsync(WriteRelease(), Ct);

        Assert.Equal(["abstract_algebra", "anatomy"], dataset.Subjects);
        Assert.Equal([MmluSplit.Dev, MmluSplit.Val, MmluSplit.Test], dataset.AvailableSplits);
        Assert.Equal(2, dataset.Items(MmluSplit.Dev).Count);
        Assert.Single(dataset.Items(MmluSplit.Val));
        Assert.Equal(4, dataset.Items(MmluSplit.Test).Count);
        Assert.Equal(3, dataset.Items(MmluSplit.Test, "abstract_algebra").Count);
        Assert.Empty(dataset.Items(MmluSplit.Dev, "anatomy"));
        Assert.Equal([0, 1, 2, 3], dataset.Items(MmluSplit.Test).Select(i => i.Index));
    }

    [Fact]
    public async Task Reads_quoted_commas_line_breaks_and_doubled_quotes()
    {
        var test = (await MmluImporter.ImportAsync(WriteRelease(), Ct)).Items(MmluSplit.Test);

        Assert.Equal("Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.", test[0].Question);
        Assert.Equal(["0", "4", "2", "6"], test[0].Options);
        Assert.Equal(1, test[0].CorrectIndex);
        Assert.Equal("Statement 1 | Every field is also a ring.\nStatement 2 | Every ring has a multiplicative identity.", test[1].Question);
        Assert.Equal("True, True", test[1].Options[0]);
        Assert.Equal("The word \"ring\" here means what?", test[2].Question);
        Assert.Equal("a set with + and ×", test[2].Options[2]);
        Assert.Equal('C', test[2].CorrectLetter);
        Assert.Equal((3, "anatomy", 3), (test[3].Index, test[3].Subject, test[3].CorrectIndex));
        Assert.Equal("The second and third pharyngeal arches", test[3].Options[3]);
    }

    [Fact]
    public async Task Accepts_the_folder_that_holds_data_and_gives_the_same_hash()
    {
        var data = WriteRelease();

        var viaData = await MmluImporter.ImportAsync(data, Ct);
        var viaParent = await MmluImporter.ImportAsync(Path.GetDirectoryName(data)!, Ct);

        Assert.Equal(viaData.ContentHash, viaParent.ContentHash);
        Assert.Equal(viaData.Items(MmluSplit.Test).Count, viaParent.Items(MmluSplit.Test).Count);
        Assert.Equal(Path.GetDirectoryName(data), viaParent.SourcePath);
    }

    [Fact]
    public async Task Folder_hash_is_the_same_for_a_copy_and_ignores_files_that_are_not_imported()
    {
        var first = await MmluImporter.ImportAsync(WriteRelease("one"), Ct);
        var copy = WriteRelease("two");
        _dir.Write("two/data/auxiliary_train/more.csv", "changed");

        Assert.Equal(first.ContentHash, (await MmluImporter.ImportAsync(copy, Ct)).ContentHash);
    }

    [Fact]
    public async Task Folder_hash_changes_when_a_file_changes_or_is_renamed()
    {
        var root = WriteRelease();
        var original = (await MmluImporter.ImportAsync(root, Ct)).ContentHash;

        var val = Path.Combine(root, "val", "anatomy_val.csv");
        File.WriteAllText(val, File.ReadAllText(val).Replace(",B\n", ",C\n"));
        var edited = (await MmluImporter.ImportAsync(root, Ct)).ContentHash;
        File.Move(val, Path.Combine(root, "val", "astronomy_val.csv"));
        var renamed = (await MmluImporter.ImportAsync(root, Ct)).ContentHash;

        Assert.Equal(3, new[] { original, edited, renamed }.Distinct().Count());
    }

    [Fact]
    public async Task A_row_with_the_wrong_column_count_imports_nothing_and_names_record_and_line()
    {
        var root = WriteRelease();
        var file = _dir.Write("mmlu/data/test/astronomy_test.csv",
            "\"Why is Mars red?\nExplain.\",Rust,Paint,Blood,Fire,A\nWhat is the Sun?,A star,A planet,A moon,B\n");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => MmluImporter.ImportAsync(root, Ct));

        Assert.Equal($"{file}, record 2 (line 3): expected 6 columns (question, A, B, C, D, answer letter), found 5", error.Message);
        Assert.Equal((2, 3), (error.RecordNumber, error.LineNumber));
    }

    [Fact]
    public async Task An_answer_other_than_A_to_D_imports_nothing()
    {
        var root = WriteRelease();
        var file = _dir.Write("mmlu/data/dev/anatomy_dev.csv", "Q1,a,b,c,d,A\nQ2,a,b,c,d,E\n");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => MmluImporter.ImportAsync(root, Ct));

        Assert.Equal($"{file}, record 2 (line 2): answer 'E' is not one of A, B, C, D", error.Message);
    }

    [Fact]
    public async Task An_empty_csv_imports_nothing()
    {
        var root = WriteRelease();
        var file = _dir.Write("mmlu/data/val/virology_val.csv", "");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => MmluImporter.ImportAsync(root, Ct));

        Assert.Equal($"{file}: the file holds no records", error.Message);
    }

    [Fact]
    public async Task A_file_not_named_after_its_split_imports_nothing()
    {
        var root = WriteRelease();
        var file = _dir.Write("mmlu/data/test/virology_dev.csv", "Q,a,b,c,d,A\n");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => MmluImporter.ImportAsync(root, Ct));

        Assert.Equal($"{file}: expected a file name of the form <subject>_test.csv", error.Message);
    }

    [Fact]
    public async Task A_folder_without_splits_is_not_an_MMLU_release()
    {
        var folder = _dir.Folder("empty");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => MmluImporter.ImportAsync(folder, Ct));

        Assert.StartsWith($"{folder}: not an MMLU folder", error.Message);
    }
}
