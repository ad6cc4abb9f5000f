namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>The messages sent to the judge around a rubric.</summary>
internal static class JudgePrompt
{
    /// <summary>Part of every cache key: bump it when the wording below changes, so old scores are not reused.</summary>
    public const string Version = "1";

    public const string System =
        "You are an impartial evaluator of a language model's answers. You are given a scoring rubric, the prompt the "
        + "model received and the model's answer. Score only the answer, strictly following the rubric, on a scale from "
        + "0 to 10. The answer may stop mid-sentence because generation ends after a fixed number of tokens; do not "
        + "penalise that. Reply with a single line of the form \"Score: N\", where N is a whole number from 0 to 10.";

    public static string User(JudgeRubric rubric, string prompt, string output) =>
        $"Rubric:\n{rubric.Text}\n\nPrompt given to the model:\n{prompt}\n\nModel's answer:\n{output}";
}
