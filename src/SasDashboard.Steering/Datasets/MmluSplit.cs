namespace SasDashboard.Steering.Datasets;

/// <summary>The MMLU release's folders: dev (5 items per subject, for few-shot prompts), val and test.</summary>
public enum MmluSplit
{
    Dev,
    Val,
    Test,
}
