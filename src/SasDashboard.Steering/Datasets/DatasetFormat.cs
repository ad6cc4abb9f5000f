namespace SasDashboard.Steering.Datasets;

/// <summary>The file formats <see cref="DatasetImporter"/> recognises.</summary>
public enum DatasetFormat
{
    /// <summary>CAA A/B JSON (<c>test_dataset_ab.json</c>, <c>generate_dataset.json</c>).</summary>
    CaaBehaviorAb,

    /// <summary>CAA open-ended JSON (<c>test_dataset_open_ended.json</c>).</summary>
    CaaOpenEnded,

    /// <summary>CAA two-answer JSON (<c>test/mmlu/mmlu.json</c>, <c>test/truthfulqa/truthful_qa.json</c>).</summary>
    CaaAnswerPairs,

    /// <summary>The MMLU CSV release folder.</summary>
    MmluCsvFolder,

    /// <summary>TruthfulQA's <c>TruthfulQA.csv</c>.</summary>
    TruthfulQaCsv,

    /// <summary>TruthfulQA's <c>mc_task.json</c>.</summary>
    TruthfulQaMcTask,
}
