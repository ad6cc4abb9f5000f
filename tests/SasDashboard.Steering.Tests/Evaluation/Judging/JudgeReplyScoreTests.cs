using SasDashboard.Steering.Evaluation.Judging;

namespace SasDashboard.Steering.Tests.Evaluation.Judging;

public sealed class JudgeReplyScoreTests
{
    [Theory]
    [InlineData("Score: 7", 7)]
    [InlineData("The answer refuses politely.\nScore: 9", 9)]
    [InlineData("**Score:** 4", 4)]
    [InlineData("score = 6.5", 6.5)]
    [InlineData("Score: 8/10", 8)]
    [InlineData("Score: 2\nOn reflection, Score: 3", 3)]
    [InlineData("10", 10)]
    [InlineData(" 0 \n", 0)]
    [InlineData("7/10", 7)]
    public void Reads_the_score(string reply, double expected)
    {
        Assert.Equal((expected, null), JudgeReplyScore.Parse(reply));
    }

    [Theory]
    [InlineData("Score: 11", "score 11 is outside the scale 0–10")]
    [InlineData("Score: -1", "score -1 is outside the scale 0–10")]
    [InlineData("42", "score 42 is outside the scale 0–10")]
    [InlineData("I would give it a 7 because it is quite good", "no score found in the reply (expected a line \"Score: N\")")]
    [InlineData("", "no score found in the reply (expected a line \"Score: N\")")]
    public void Rejects_a_reply_without_a_score_on_the_scale(string reply, string error)
    {
        Assert.Equal((null, error), JudgeReplyScore.Parse(reply));
    }
}
