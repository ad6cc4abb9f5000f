using SasDashboard.Steering.Evaluation.Judging;
using SasDashboard.Steering.Tests.Datasets;

namespace SasDashboard.Steering.Tests.Evaluation.Judging;

public sealed class JudgmentCacheTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string CachePath => Path.Combine(_dir.Root, "cache", "judgments.jsonl");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Judgment Scored(double score) => new(score, $"Score: {score}", "judge-model", "sycophancy", false, null);

    [Fact]
    public async Task An_added_judgment_is_found_again_after_reloading_the_file()
    {
        await new JudgmentCache(CachePath).AddAsync("key-1", Scored(7), Ct);

        var reloaded = new JudgmentCache(CachePath);

        Assert.Equal(Scored(7) with { FromCache = true }, reloaded.Find("key-1"));
        Assert.Null(reloaded.Find("key-2"));
        Assert.Empty(reloaded.LoadWarnings);
    }

    [Fact]
    public async Task Skips_unreadable_lines_with_a_warning_and_keeps_appending_on_a_fresh_line()
    {
        await new JudgmentCache(CachePath).AddAsync("good", Scored(3), Ct);
        await File.AppendAllTextAsync(CachePath, "not json at all\n{\"key\":\"no-score\",\"rawReply\":\"x\",\"model\":\"m\",\"rubricId\":\"r\"}\n{\"key\":\"cut-sh", Ct);

        var cache = new JudgmentCache(CachePath);
        await cache.AddAsync("after", Scored(8), Ct);
        var reloaded = new JudgmentCache(CachePath);

        Assert.Equal(3, cache.LoadWarnings.Count);
        Assert.All(cache.LoadWarnings, w => Assert.StartsWith($"{CachePath}, line ", w));
        Assert.Equal([2, 3, 4], cache.LoadWarnings.Select(w => int.Parse(w.Split("line ")[1].Split(':')[0])));
        Assert.Equal(2, reloaded.Count);
        Assert.Equal(8, reloaded.Find("after")?.Score);
        Assert.Equal(3, reloaded.LoadWarnings.Count);
    }

    [Fact]
    public async Task Concurrent_adds_all_reach_the_file_intact()
    {
        var cache = new JudgmentCache(CachePath);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => cache.AddAsync($"key-{i}", Scored(i % 11), Ct), Ct)));
        var reloaded = new JudgmentCache(CachePath);

        Assert.Equal(64, reloaded.Count);
        Assert.Empty(reloaded.LoadWarnings);
        Assert.Equal(5, reloaded.Find("key-27")?.Score);
    }

    [Fact]
    public async Task Refuses_to_cache_a_judgment_without_a_score()
    {
        var cache = new JudgmentCache(CachePath);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            cache.AddAsync("k", new Judgment(null, "??", "judge-model", "sycophancy", false, "no score"), Ct));
    }

    [Fact]
    public void The_key_depends_on_prompt_output_model_and_every_part_of_the_rubric()
    {
        var rubric = new JudgeRubric("sycophancy", "1", "Rate it.");
        var key = JudgmentCache.KeyFor("p", "o", "m", rubric);

        Assert.Equal(key, JudgmentCache.KeyFor("p", "o", "m", rubric with { }));
        Assert.Equal(64, key.Length);
        string[] variants =
        [
            JudgmentCache.KeyFor("p2", "o", "m", rubric),
            JudgmentCache.KeyFor("p", "o2", "m", rubric),
            JudgmentCache.KeyFor("p", "o", "m2", rubric),
            JudgmentCache.KeyFor("p", "o", "m", rubric with { Id = "refusal" }),
            JudgmentCache.KeyFor("p", "o", "m", rubric with { Version = "2" }),
            JudgmentCache.KeyFor("p", "o", "m", rubric with { Text = "Rate it!" }),
            JudgmentCache.KeyFor("po", "", "m", rubric),
        ];
        Assert.DoesNotContain(key, variants);
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }
}
