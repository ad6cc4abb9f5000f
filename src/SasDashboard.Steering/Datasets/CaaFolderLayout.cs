namespace SasDashboard.Steering.Datasets;

/// <summary>Names a CAA dataset after its behaviour folder (<c>&lt;split&gt;/&lt;behaviour&gt;/file.json</c>).</summary>
internal static class CaaFolderLayout
{
    private static readonly string[] Splits = ["generate", "test"];

    /// <summary>
    /// The parent folder's name when it is a catalogued behaviour or sits in a CAA split folder (so behaviours
    /// beyond the catalogue, such as power-seeking-inclination, are named too); otherwise the file name.
    /// </summary>
    public static string BehaviorName(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetFileName(Path.GetDirectoryName(full)) ?? "";
        var grandparent = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(full))) ?? "";
        return parent.Length > 0 && (CaaBehaviors.Find(parent) is not null || Splits.Contains(grandparent))
            ? parent
            : Path.GetFileNameWithoutExtension(full);
    }
}
