namespace SasDashboard.Steering.Datasets;

/// <summary>What every imported benchmark records about where it came from, so results can name their exact data.</summary>
public interface IBenchmarkDataset
{
    /// <summary>The file or folder the dataset was imported from, as given to the importer.</summary>
    string SourcePath { get; }

    /// <summary>
    /// Lower-case hex SHA-256 of the file's bytes; for a folder, over the imported files' sorted relative paths and
    /// bytes. Equal hashes mean the same data, wherever it lies.
    /// </summary>
    string ContentHash { get; }
}
