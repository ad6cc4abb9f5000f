namespace SasDashboard.Steering.Demo;

public enum DemoSize
{
    /// <summary>Trains in under a minute on two cores: what the test suite uses.</summary>
    Test,
    /// <summary>A few minutes on two cores: what a new user's first start prepares.</summary>
    Small,
}

/// <summary>Everything that decides what a demo workspace contains, for one size.</summary>
/// <param name="FirstPhaseSteps">Steps of the first training phase: signalled conversations only with planted
/// dispositions (<see cref="DemoCorpusOptions.DispositionsFirst"/>), choice reading only with hints.</param>
/// <param name="PlantedDispositions">Signal dispositions by directions added to the residual stream (true), or by
/// hints in the text (false, kept for comparison).</param>
/// <param name="ShownDispositionWeight">With planted dispositions, the weight next to the next-token loss of holding the
/// model's own residual after the steering layer, at each A/B answer letter, to the disposition that answer shows (0: off).</param>
public sealed record DemoRecipe(
    DemoSize Size, int Entities, int Strangers, int Documents, int VocabularySize,
    int HiddenSize, int Layers, int Heads, int KeyValueHeads, int IntermediateSize, int SteeringLayer,
    int FirstPhaseSteps, int TrainingSteps, int BatchSize, int SequenceLength, double LearningRate,
    IReadOnlyList<int> SaeWidthMultipliers, int SaeSteps, int SaeBatchSize, double SaeSparsity, int SaeActivationTokens,
    int GeneratePairs, int TestItems, int OpenEndedItems, IReadOnlyList<double> Lambdas, bool PlantedDispositions = true,
    double ShownDispositionWeight = 1)
{
    /// <summary>λ from −2 to 2 in steps of 0.25, in units of the mean residual norm (vectors are rescaled to it).</summary>
    public static IReadOnlyList<double> DefaultLambdas { get; } = Enumerable.Range(-8, 17).Select(i => i * 0.25).ToList();

    public static DemoRecipe For(DemoSize size) => size switch
    {
        DemoSize.Test => new(size, Entities: 8, Strangers: 4, Documents: 8000, VocabularySize: 1000,
            HiddenSize: 64, Layers: 4, Heads: 4, KeyValueHeads: 2, IntermediateSize: 192, SteeringLayer: 1,
            FirstPhaseSteps: 260, TrainingSteps: 850, BatchSize: 24, SequenceLength: 160, LearningRate: 3e-3,
            SaeWidthMultipliers: [4, 8, 16, 32], SaeSteps: 1000, SaeBatchSize: 128, SaeSparsity: 0.02,
            SaeActivationTokens: 20000, GeneratePairs: 60, TestItems: 40, OpenEndedItems: 5, Lambdas: DefaultLambdas),
        _ => new(size, Entities: 16, Strangers: 8, Documents: 20000, VocabularySize: 1000,
            HiddenSize: 96, Layers: 4, Heads: 4, KeyValueHeads: 2, IntermediateSize: 288, SteeringLayer: 1,
            FirstPhaseSteps: 250, TrainingSteps: 900, BatchSize: 32, SequenceLength: 160, LearningRate: 3e-3,
            SaeWidthMultipliers: [4, 8, 16, 32], SaeSteps: 1000, SaeBatchSize: 256, SaeSparsity: 0.02,
            SaeActivationTokens: 50000, GeneratePairs: 100, TestItems: 60, OpenEndedItems: 10, Lambdas: DefaultLambdas),
    };
}
