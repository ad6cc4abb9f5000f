using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>
/// Scored judgments kept in a JSON-lines file, so that re-running a sweep does not pay for the same judgment twice.
/// The file is read once, here; a line that cannot be read (e.g. cut short by a crash) is skipped and reported in
/// <see cref="LoadWarnings"/>. Entries are appended one line each; lookups and appends are safe from many tasks of
/// one process (two processes appending to one file are not coordinated).
/// </summary>
public sealed class JudgmentCache
{
    private static readonly JsonSerializerOptions LineFormat = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };
    private readonly ConcurrentDictionary<string, Judgment> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _appendLock = new(1, 1);
    private readonly List<string> _warnings = [];
    private bool _needsLineBreak;

    public JudgmentCache(string path)
    {
        Path = path;
        if (File.Exists(path)) Load();
    }

    public string Path { get; }

    public IReadOnlyList<string> LoadWarnings => _warnings;

    public int Count => _entries.Count;

    /// <summary>
    /// SHA-256 (hex) over the judge prompt's version, the prompt, the output, the judge model and the rubric's id,
    /// version and text, each length-prefixed so that no two different inputs run together into the same bytes.
    /// </summary>
    public static string KeyFor(string prompt, string output, string judgeModel, JudgeRubric rubric)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in new[] { JudgePrompt.Version, prompt, output, judgeModel, rubric.Id, rubric.Version, rubric.Text })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The cached judgment for <paramref name="key"/>, marked <see cref="Judgment.FromCache"/>; null if none.</summary>
    public Judgment? Find(string key) => _entries.TryGetValue(key, out var judgment) ? judgment with { FromCache = true } : null;

    /// <summary>Records a scored judgment (failures are not cached, so a later run tries them again).</summary>
    public async Task AddAsync(string key, Judgment judgment, CancellationToken ct)
    {
        if (judgment.Score is not { } score) throw new ArgumentException("only scored judgments are cached", nameof(judgment));
        var line = JsonSerializer.Serialize(new CacheLine(key, score, judgment.RawReply, judgment.Model, judgment.RubricId), LineFormat);
        await _appendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } folder) Directory.CreateDirectory(folder);
            await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            // Not cancellable once started: a half-written line would cost the next entry.
            await stream.WriteAsync(Encoding.UTF8.GetBytes((_needsLineBreak ? "\n" : "") + line + "\n"), CancellationToken.None)
                .ConfigureAwait(false);
            _needsLineBreak = false;
            _entries[key] = judgment with { FromCache = false };
        }
        finally
        {
            _appendLock.Release();
        }
    }

    private void Load()
    {
        var bytes = File.ReadAllBytes(Path);
        // A crash mid-append leaves a partial last line; the next entry must start on a line of its own.
        _needsLineBreak = bytes.Length > 0 && bytes[^1] != (byte)'\n';
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                var entry = JsonSerializer.Deserialize<CacheLine>(lines[i], LineFormat)
                    ?? throw new JsonException("the line is null");
                if (entry.Score is < JudgeReplyScore.Min or > JudgeReplyScore.Max)
                    throw new JsonException($"score {entry.Score} is outside the scale");
                _entries[entry.Key] = new Judgment(entry.Score, entry.RawReply, entry.Model, entry.RubricId, false, null);
            }
            catch (JsonException e)
            {
                _warnings.Add($"{Path}, line {i + 1}: skipped an unreadable cache entry ({e.Message})");
            }
        }
    }

    private sealed record CacheLine(string Key, double Score, string RawReply, string Model, string RubricId);
}
