namespace SasDashboard.Steering.Demo;

public enum DemoSize
{
    /// <summary>Trains in about a minute on two cores: what the test suite uses.</summary>
    Test,
    /// <summary>A few minutes on two cores: what a new user's first start prepares.</summary>
    Small,
}

/// <summary>Everything that decides what a demo workspace contains, for one size.</summary>
public sealed record DemoRecipe(
    DemoSize Size, int Entities, int Strangers, int Documents, int VocabularySize,
    int HiddenSize, int Layers, int Heads, int KeyValueHeads, int IntermediateSize, int SteeringLayer,
    int ReadingWarmupSteps, int TrainingSteps, int BatchSize, int SequenceLength, double LearningRate,
    IReadOnlyList<int> SaeWidthMultipliers, int SaeSteps, int SaeBatchSize, double SaeSparsity, int SaeActivationTokens,
    int GeneratePairs, int TestItems, int OpenEndedItems, IReadOnlyList<double> Lambdas, bool PlantedDispositions = true, int PlantedLayer = 0)
{
    public static DemoRecipe For(DemoSize size) => size switch
    {
        DemoSize.Test => new(size, Entities: 8, Strangers: 4, Documents: 8000, VocabularySize: 1000,
            HiddenSize: 64, Layers: 4, Heads: 4, KeyValueHeads: 2, IntermediateSize: 192, SteeringLayer: 1,
            ReadingWarmupSteps: 50, TrainingSteps: 800, BatchSize: 64, SequenceLength: 160, LearningRate: 3e-3,
            SaeWidthMultipliers: [4, 8, 16, 32], SaeSteps: 800, SaeBatchSize: 512, SaeSparsity: 0.02,
            SaeActivationTokens: 20000, GeneratePairs: 60, TestItems: 40, OpenEndedItems: 5,
            Lambdas: [-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5]),
        _ => new(size, Entities: 16, Strangers: 8, Documents: 20000, VocabularySize: 1000,
            HiddenSize: 96, Layers: 4, Heads: 4, KeyValueHeads: 2, IntermediateSize: 288, SteeringLayer: 1,
            ReadingWarmupSteps: 100, TrainingSteps: 900, BatchSize: 64, SequenceLength: 160, LearningRate: 3e-3,
            SaeWidthMultipliers: [4, 8, 16, 32], SaeSteps: 800, SaeBatchSize: 1024, SaeSparsity: 0.02,
            SaeActivationTokens: 50000, GeneratePairs: 100, TestItems: 60, OpenEndedItems: 10,
            Lambdas: [-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5]),
    };
}
