using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Training;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Training;

public sealed class LanguageModelTrainerTests
{
    private const int Vocabulary = 16, Pad = 0, Bos = 1, Cue = 2, Up = 3, Down = 4;

    private static CausalLanguageModel TrainableModel(int seed = 1) => ModelLoader.Create(new ModelConfig
    {
        Architecture = ModelConfig.Gemma2Architecture, ModelType = "gemma2", HiddenSize = 32, IntermediateSize = 64,
        NumLayers = 2, NumHeads = 2, NumKeyValueHeads = 1, HeadDim = 16, VocabSize = Vocabulary, RmsNormEps = 1e-6,
        RopeTheta = 10000, MaxPositionEmbeddings = 64, TieWordEmbeddings = true, QueryPreAttnScalar = 16,
        SlidingWindow = 64, AttnLogitSoftcapping = 50, FinalLogitSoftcapping = 30, HiddenActivation = "gelu_pytorch_tanh",
        BosTokenId = Bos, EosTokenIds = [Down], PadTokenId = Pad,
    }, new RandomWeightSource(seed, ScalarType.Float32, CPU, trainable: true), ComputeTarget.Cpu);

    private static Tensor Directions()
    {
        var directions = zeros(1, 32);
        directions[0, 0] = 6f;
        return directions;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LanguageModelTrainingOptions Options(int steps) => new(steps, BatchSize: 8, SequenceLength: 8,
        LearningRate: 1e-2, MinLearningRate: 1e-3, WarmupSteps: 5);

    [Fact]
    public void TrainingLowersTheLossOnARepeatedPattern()
    {
        using var model = TrainableModel();
        var documents = Enumerable.Range(0, 16)
            .Select(i => new TrainingSequence([Bos, 5 + i % 4, 6 + i % 4, 7 + i % 4, 8 + i % 4])).ToList();
        var losses = new List<double>();
        double final = LanguageModelTrainer.Train(model, documents, Pad, Options(60),
            new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)), Ct);
        Assert.Equal(60, losses.Count);
        Assert.True(final < losses[0] / 4, $"loss {losses[0]:F3} → {final:F3}");
        Assert.False(model.training);
    }

    [Fact]
    public void AModelLearnsToActOnAPlantedDirectionThatNoTokenStates()
    {
        // [BOS, cue] → Up when the document's disposition is +1, Down when −1: only the planted direction tells them apart.
        using var model = TrainableModel();
        using var directions = Directions();
        var documents = new[] { 1f, -1f }.Select(sign => new TrainingSequence([Bos, Cue, sign > 0 ? Up : Down],
            [false, false, true], Disposition: [sign])).ToList();
        LanguageModelTrainer.Train(model, documents, Pad, Options(80), cancellationToken: Ct,
            planted: new PlantedDirections(directions, Layer: 0));

        Assert.True(NextTokenProbability(model, directions, 1f, Up) > 0.9);
        Assert.True(NextTokenProbability(model, directions, -1f, Down) > 0.9);
    }

    [Fact]
    public void ShownTokensAreHeldToTheDispositionTheyShowAlongTheDirection()
    {
        // Token Up shows +1, token Down shows −1: after training, the model's own residual after block 0 at those
        // tokens projects onto the direction with their sign.
        using var model = TrainableModel();
        using var directions = Directions();
        var documents = new[] { Up, Down }.Select(token => new TrainingSequence([Bos, Cue, token, Cue],
            Shown: [new ShownToken(2, 0, token == Up ? 1f : -1f)])).ToList();
        LanguageModelTrainer.Train(model, documents, Pad, Options(80), cancellationToken: Ct,
            planted: new PlantedDirections(directions, Layer: 0, ShownLayer: 0, ShownWeight: 1));

        Assert.InRange(Projection(model, directions, Up), 0.7, 1.3);
        Assert.InRange(Projection(model, directions, Down), -1.3, -0.7);
    }

    [Fact]
    public void CancellationStopsTrainingAndLeavesTheModelInEvaluationMode()
    {
        using var model = TrainableModel();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => LanguageModelTrainer.Train(model,
            [new TrainingSequence([Bos, Cue, Up])], Pad, Options(10), cancellationToken: cancelled.Token));
        Assert.False(model.training);
    }

    [Fact]
    public void LearningRateWarmsUpLinearlyThenFollowsACosineToItsFloor()
    {
        var options = new LanguageModelTrainingOptions(Steps: 110, BatchSize: 1, SequenceLength: 1, LearningRate: 1e-2,
            MinLearningRate: 1e-3, WarmupSteps: 10);
        Assert.Equal(1e-3, LanguageModelTrainer.LearningRateAt(0, options), 12);
        Assert.Equal(1e-2, LanguageModelTrainer.LearningRateAt(9, options), 12);
        Assert.Equal(1e-2, LanguageModelTrainer.LearningRateAt(10, options), 12);
        Assert.Equal(5.5e-3, LanguageModelTrainer.LearningRateAt(60, options), 12);
        Assert.Equal(1e-3, LanguageModelTrainer.LearningRateAt(110, options), 12);
    }

    private static double NextTokenProbability(CausalLanguageModel model, Tensor directions, float sign, int token)
    {
        using var scope = NewDisposeScope();
        var hook = new AddDirection(directions[0] * sign);
        var logits = model.Forward(tensor(new long[] { Bos, Cue }, [1, 2]), hooks: [hook], lastTokenOnly: true);
        return logits.softmax(-1)[0, 0, token].item<float>();
    }

    private static double Projection(CausalLanguageModel model, Tensor directions, int token)
    {
        using var scope = NewDisposeScope();
        var capture = new CaptureAfterBlockZero();
        model.Forward(tensor(new long[] { Bos, Cue, token }, [1, 3]), hooks: [capture]);
        using var residual = capture.Residual!;
        var direction = directions[0];
        return (residual[0, 2].dot(direction) / direction.dot(direction)).item<float>();
    }

    private sealed class AddDirection(Tensor direction) : IResidualStreamHook
    {
        public IReadOnlyCollection<int> Layers => [0];
        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context) => residual + direction;
    }

    private sealed class CaptureAfterBlockZero : IResidualStreamHook
    {
        public Tensor? Residual { get; private set; }
        public IReadOnlyCollection<int> Layers => [0];

        public Tensor OnResidual(int layer, Tensor residual, ForwardContext context)
        {
            Residual = residual.clone().DetachFromDisposeScope(); // the pass's scope would dispose it
            return residual;
        }
    }
}
