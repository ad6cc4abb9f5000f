using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Runtime;
using SasDashboard.Steering.Saes;
using SasDashboard.Steering.Tests.Checkpoints;

using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Saes;

public sealed class SaeLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_folder_in_no_known_layout_is_rejected_listing_the_layouts()
    {
        File.WriteAllText(_directory.File("notes.txt"), "not an SAE");

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.Path, ComputeTarget.Cpu));

        Assert.Contains("params.npz", error.Message);
        Assert.Contains("cfg.json", error.Message);
        Assert.Contains("hyperparams.json", error.Message);
    }

    [Fact]
    public void A_missing_path_is_reported()
    {
        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.File("nowhere"), ComputeTarget.Cpu));

        Assert.Contains(_directory.File("nowhere"), error.Message);
    }

    [Fact]
    public void A_saelens_config_without_weights_names_the_missing_file()
    {
        SaeFixtures.WriteJson(_directory.File("cfg.json"), new { architecture = "standard", d_in = 4, d_sae = 8 });

        var error = Assert.Throws<CheckpointException>(() => SaeLoader.Load(_directory.Path, ComputeTarget.Cpu));

        Assert.Contains("sae_weights.safetensors", error.Message);
    }
}
