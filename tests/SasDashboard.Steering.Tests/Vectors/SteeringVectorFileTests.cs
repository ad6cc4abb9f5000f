using SasDashboard.Steering.Checkpoints;
using SasDashboard.Testing;
using SasDashboard.Steering.Vectors;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Vectors;

public sealed class SteeringVectorFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private static readonly VectorProvenance Provenance = new("gemma-2-2b", 12, 3, "abc123", 50, "gemma", "refusal", "/data/refusal.json");

    private static SteeringVector Sas() => new()
    {
        Method = SteeringMethod.Sas,
        Provenance = Provenance,
        Dense = tensor(new[] { 0.5f, -1f, 2f }),
        Sae = new VectorSae("/saes/layer_12/width_16k/average_l0_82/params.npz", 16384),
        Sas = new SasOptions(0.6, true, false, true),
        FeatureIndices = tensor(new long[] { 7, 16000 }),
        FeatureValues = tensor(new[] { 1.25f, -0.5f }),
    };

    [Fact]
    public void SasVector_RoundTripsWithItsRecipe()
    {
        var path = _temp.File("v.safetensors");
        using (var vector = Sas()) SteeringVectorFile.Save(path, vector);
        using var loaded = SteeringVectorFile.Load(path);
        Assert.Equal(SteeringMethod.Sas, loaded.Method);
        Assert.Equal(Provenance, loaded.Provenance);
        Assert.Equal(new VectorSae("/saes/layer_12/width_16k/average_l0_82/params.npz", 16384), loaded.Sae);
        Assert.Equal(new SasOptions(0.6, true, false, true), loaded.Sas);
        Assert.Equal([7L, 16000L], loaded.FeatureIndices!.data<long>().ToArray());
        TensorAssert.Equal([1.25f, -0.5f], loaded.FeatureValues!);
        TensorAssert.Equal([0.5f, -1f, 2f], loaded.Dense);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("2", file.Metadata["l0"]);
    }

    [Fact]
    public void CaaVector_RoundTrips()
    {
        var path = _temp.File("caa.safetensors");
        using (var vector = new SteeringVector { Method = SteeringMethod.Caa, Provenance = Provenance, Dense = tensor(new[] { 1f, 0, -3 }) })
            SteeringVectorFile.Save(path, vector);
        using var loaded = SteeringVectorFile.Load(path);
        Assert.Equal(SteeringMethod.Caa, loaded.Method);
        Assert.Null(loaded.Sae);
        Assert.Equal(2, loaded.L0);
        Assert.Equal(Math.Sqrt(10), loaded.Norm, 5);
        Assert.Equal([new FeatureValue(2, -3), new FeatureValue(0, 1)], loaded.TopFeatures(2));
    }

    [Fact]
    public void OtherSafetensorsFile_IsRejectedAsNotAVector()
    {
        var path = _temp.File("weights.safetensors");
        SafetensorsFixture.Write(path, [new("dense", [3], [1, 2, 3])]);
        var error = Assert.Throws<CheckpointException>(() => SteeringVectorFile.Load(path));
        Assert.Contains("not a SasDashboard steering vector", error.Message);
    }

    [Fact]
    public void FeatureIndexOutsideTheSae_IsRejected()
    {
        var path = _temp.File("bad.safetensors");
        using (var vector = Sas()) SteeringVectorFile.Save(path, vector);
        var rewritten = _temp.File("bad2.safetensors");
        using (var file = SafetensorsFile.Open(path))
        {
            var metadata = file.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            metadata["sae_width"] = "100";
            using var dense = file.Read("dense");
            using var indices = file.Read("feature_indices");
            using var values = file.Read("feature_values");
            SafetensorsWriter.Write(rewritten, [new("dense", dense), new("feature_indices", indices), new("feature_values", values)], metadata);
        }
        var error = Assert.Throws<CheckpointException>(() => SteeringVectorFile.Load(rewritten));
        Assert.Contains("feature indices fall outside the SAE's 100 features", error.Message);
    }

    public void Dispose() => _temp.Dispose();
}
