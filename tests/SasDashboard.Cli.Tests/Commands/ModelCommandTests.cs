using System.Text.Json;
using SasDashboard.Testing;

namespace SasDashboard.Cli.Tests.Commands;

/// <summary>generate and inspect-model on tiny checkpoints written in the real formats.</summary>
public sealed class ModelCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task InspectModel_Json_ReportsTheArchitecture()
    {
        var checkpoint = TinyCheckpoint.Write(TinySpec.Llama3, _temp.File("llama"));
        var result = await CliRunner.RunAsync("inspect-model", "--model", checkpoint.Directory, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("LlamaForCausalLM", root.GetProperty("architecture").GetString());
        Assert.Equal(2, root.GetProperty("layers").GetInt32());
        Assert.Equal(32, root.GetProperty("hidden_size").GetInt32());
        Assert.Equal(57, root.GetProperty("vocabulary_size").GetInt32());
        long stored = checkpoint.Weights.Values.Sum(w => w.Values.LongLength);
        Assert.Equal(stored, root.GetProperty("parameter_count").GetInt64());
        Assert.Equal(stored, root.GetProperty("stored_parameter_count").GetInt64());
    }

    [Theory]
    [InlineData("gemma")]
    [InlineData("llama")]
    public async Task GenerateGreedy_MatchesTheReferenceContinuationTokenForToken(string architecture)
    {
        var spec = architecture == "gemma" ? TinySpec.Gemma2 : TinySpec.Llama3;
        var checkpoint = TinyCheckpoint.WriteWithTokenizer(spec, _temp.File(architecture));
        var result = await CliRunner.RunAsync("generate", "--model", checkpoint.Directory, "--prompt", "The color of Zorvim",
            "--max-new-tokens", "8", "--temperature", "0", "--device", "cpu", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var promptIds = json.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var generated = json.RootElement.GetProperty("generated_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal(2, promptIds[0]); // BOS
        var expected = new ReferenceTransformer(checkpoint).GreedyContinuation(promptIds, 8);
        int eos = expected.IndexOf(1);
        Assert.Equal(eos < 0 ? expected : expected[..(eos + 1)], generated);
        Assert.True(json.RootElement.TryGetProperty("text", out _));
    }

    [Fact]
    public async Task GenerateWithSeed_IsReproducible()
    {
        var checkpoint = TinyCheckpoint.WriteWithTokenizer(TinySpec.Gemma2, _temp.File("seeded"));
        string[] args = ["generate", "--model", checkpoint.Directory, "--prompt", "Tell me", "--max-new-tokens", "10",
            "--temperature", "1.2", "--top-p", "0.9", "--seed", "17", "--json"];
        var a = await CliRunner.RunAsync(args);
        var b = await CliRunner.RunAsync(args);
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Output, b.Output);
    }

    [Fact]
    public async Task MissingModel_ExitsWithOneClearLine()
    {
        var result = await CliRunner.RunAsync("generate", "--model", _temp.File("absent"), "--prompt", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Contains("absent", result.Error);
    }

    [Fact]
    public async Task BadDevice_IsRejected()
    {
        var checkpoint = TinyCheckpoint.Write(TinySpec.Gemma2, _temp.File("g"));
        var result = await CliRunner.RunAsync("generate", "--model", checkpoint.Directory, "--prompt", "x", "--device", "tpu");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--device 'tpu'", result.Error);
    }

    public void Dispose() => _temp.Dispose();
}
