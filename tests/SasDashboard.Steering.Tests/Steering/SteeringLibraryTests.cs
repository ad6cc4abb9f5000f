using SasDashboard.Steering.Evaluation;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tests.Evaluation;
using SasDashboard.Steering.Vectors;

namespace SasDashboard.Steering.Tests.Steering;

public sealed class SteeringLibraryTests(EvaluationWorkspace workspace) : IClassFixture<EvaluationWorkspace>
{
    [Fact]
    public void NormToRescalesCaaAndSasVectorsToTheSameResidualNorm()
    {
        using var library = workspace.Library();
        foreach (var path in new[] { workspace.CaaVector, workspace.SasVector })
        {
            using var vector = SteeringVectorFile.Load(path);
            var applied = library.Describe(new SteeringSetup([new VectorTermSpec(path, Weight: 2, NormTo: 5)], SteeringPositions.All)).Single();
            Assert.Equal(2 * 5 / vector.Norm, applied.Weight, 6);
        }
    }

    [Fact]
    public void NormToGivesTheSameScoresAsTheEquivalentWeight()
    {
        using var library = workspace.Library();
        using var vector = SteeringVectorFile.Load(workspace.CaaVector);
        var prompts = workspace.AbPrompts();
        double[][] Scores(VectorTermSpec spec)
        {
            using var hook = library.CreateHook(new SteeringSetup([spec], SteeringPositions.All))!;
            return NextTokenScorer.Probabilities(workspace.Model, prompts, workspace.Tokenizer.PadId, [hook],
                cancellationToken: TestContext.Current.CancellationToken);
        }
        var byNorm = Scores(new VectorTermSpec(workspace.CaaVector, NormTo: 3));
        var byWeight = Scores(new VectorTermSpec(workspace.CaaVector, Weight: 3 / vector.Norm));
        for (int i = 0; i < prompts.Count; i++) Assert.Equal(byWeight[i], byNorm[i], (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void NormToMustBeAPositiveNumber(double norm)
    {
        using var library = workspace.Library();
        var error = Assert.Throws<ArgumentException>(() =>
            library.Describe(new SteeringSetup([new VectorTermSpec(workspace.CaaVector, NormTo: norm)], SteeringPositions.All)));
        Assert.Contains(workspace.CaaVector, error.Message);
    }
}
