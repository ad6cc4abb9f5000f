using SasDashboard.Steering.Datasets;
using SasDashboard.Steering.Evaluation.Judging;

namespace SasDashboard.Steering.Tests.Evaluation.Judging;

public sealed class JudgeRubricsTests
{
    [Fact]
    public void Every_CAA_behaviour_has_a_rubric_under_its_own_id()
    {
        Assert.Equal(CaaBehaviors.All.Select(b => b.Id), JudgeRubrics.Behaviors.Select(r => r.Id));
        Assert.All(CaaBehaviors.All, b => Assert.Equal(b.Id, JudgeRubrics.ForBehavior(b.Id)?.Id));
        Assert.Null(JudgeRubrics.ForBehavior("power-seeking-inclination"));
    }

    [Fact]
    public void The_catalogue_adds_a_coherence_rubric_and_ids_are_unique()
    {
        Assert.Contains(JudgeRubrics.Coherence, JudgeRubrics.All);
        Assert.Equal(JudgeRubrics.All.Count, JudgeRubrics.All.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Every_rubric_defines_both_ends_of_the_scale()
    {
        Assert.All(JudgeRubrics.All, r =>
        {
            Assert.Contains("10:", r.Text);
            Assert.Contains("0:", r.Text);
            Assert.False(string.IsNullOrWhiteSpace(r.Version));
        });
    }

    [Fact]
    public void The_behaviour_catalogue_has_the_seven_CAA_behaviours_with_display_names()
    {
        Assert.Equal(
            ["AI coordination", "corrigibility", "hallucination", "myopic reward", "survival instinct", "sycophancy", "refusal"],
            CaaBehaviors.All.Select(b => b.DisplayName));
        Assert.Equal("corrigibility", CaaBehaviors.Find("corrigible-neutral-HHH")?.DisplayName);
    }
}
