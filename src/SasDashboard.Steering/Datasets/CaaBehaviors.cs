namespace SasDashboard.Steering.Datasets;

/// <summary>A behaviour of the CAA benchmark: its dataset folder name and how to show it.</summary>
public sealed record CaaBehavior(string Id, string DisplayName);

/// <summary>The seven behaviours evaluated in the CAA paper (nrimsky/CAA <c>datasets/{generate,test}/&lt;id&gt;/</c>).</summary>
public static class CaaBehaviors
{
    public static readonly CaaBehavior CoordinateOtherAis = new("coordinate-other-ais", "AI coordination");
    public static readonly CaaBehavior Corrigible = new("corrigible-neutral-HHH", "corrigibility");
    public static readonly CaaBehavior Hallucination = new("hallucination", "hallucination");
    public static readonly CaaBehavior MyopicReward = new("myopic-reward", "myopic reward");
    public static readonly CaaBehavior SurvivalInstinct = new("survival-instinct", "survival instinct");
    public static readonly CaaBehavior Sycophancy = new("sycophancy", "sycophancy");
    public static readonly CaaBehavior Refusal = new("refusal", "refusal");

    public static readonly IReadOnlyList<CaaBehavior> All =
        [CoordinateOtherAis, Corrigible, Hallucination, MyopicReward, SurvivalInstinct, Sycophancy, Refusal];

    /// <summary>The catalogue entry for a folder name; ids are matched exactly, as they are folder names.</summary>
    public static CaaBehavior? Find(string id) => All.FirstOrDefault(b => b.Id == id);
}
