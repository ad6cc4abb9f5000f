using System.Text.Json.Nodes;
using SasDashboard.Steering.Checkpoints;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Runtime;
using SasDashboard.Testing;

namespace SasDashboard.Steering.Tests.Models;

public sealed class ModelLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private TinyCheckpoint Write(string name = "model") => TinyCheckpoint.Write(TinySpec.Llama3, _temp.File(name));

    private static CheckpointException LoadFails(string directory) =>
        Assert.Throws<CheckpointException>(() => ModelLoader.Load(directory, ComputeTarget.Cpu));

    [Fact]
    public void MissingDirectory_SaysSo()
    {
        var error = LoadFails(_temp.File("nowhere"));
        Assert.Contains("nowhere", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void MissingConfig_NamesTheFile()
    {
        var checkpoint = Write();
        File.Delete(Path.Combine(checkpoint.Directory, "config.json"));
        Assert.Contains("config.json: file not found", LoadFails(checkpoint.Directory).Message);
    }

    [Fact]
    public void MissingWeights_NamesTheExpectedFiles()
    {
        var checkpoint = Write();
        File.Delete(Path.Combine(checkpoint.Directory, "model.safetensors"));
        Assert.Contains("expected model.safetensors or model.safetensors.index.json", LoadFails(checkpoint.Directory).Message);
    }

    [Fact]
    public void UnsupportedArchitecture_ListsTheSupportedOnes()
    {
        var checkpoint = Write();
        var path = Path.Combine(checkpoint.Directory, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["architectures"] = new JsonArray("MistralForCausalLM");
        File.WriteAllText(path, config.ToJsonString());
        var message = LoadFails(checkpoint.Directory).Message;
        Assert.Contains("unsupported architecture 'MistralForCausalLM'", message);
        Assert.Contains("Gemma2ForCausalLM", message);
        Assert.Contains("LlamaForCausalLM", message);
    }

    [Fact]
    public void MissingTensor_NamesTheTensorAndItsShape()
    {
        var checkpoint = Write();
        var weights = checkpoint.Weights.Where(w => w.Key != "model.layers.1.mlp.up_proj.weight")
            .Select(w => new SafetensorsFixture.Entry(w.Key, w.Value.Shape, w.Value.Values));
        SafetensorsFixture.Write(Path.Combine(checkpoint.Directory, "model.safetensors"), weights);
        Assert.Contains("missing tensor 'model.layers.1.mlp.up_proj.weight' (expected shape [48, 32])",
            LoadFails(checkpoint.Directory).Message);
    }

    [Fact]
    public void MisshapedTensor_NamesTheTensorWithFoundAndExpectedShapes()
    {
        var checkpoint = Write();
        const string transposed = "model.layers.0.mlp.up_proj.weight";
        var weights = checkpoint.Weights.Select(w => w.Key == transposed
            ? new SafetensorsFixture.Entry(w.Key, [w.Value.Shape[1], w.Value.Shape[0]], w.Value.Values)
            : new SafetensorsFixture.Entry(w.Key, w.Value.Shape, w.Value.Values));
        SafetensorsFixture.Write(Path.Combine(checkpoint.Directory, "model.safetensors"), weights);
        Assert.Contains($"tensor '{transposed}' has shape [32, 48], expected [48, 32]", LoadFails(checkpoint.Directory).Message);
    }

    [Fact]
    public void MissingShard_NamesTheShardAndTheIndex()
    {
        var checkpoint = TinyCheckpoint.Write(TinySpec.Gemma2, _temp.File("sharded"), shards: 2);
        File.Delete(Path.Combine(checkpoint.Directory, "model-00002-of-00002.safetensors"));
        var message = LoadFails(checkpoint.Directory).Message;
        Assert.Contains("model-00002-of-00002.safetensors: shard named in model.safetensors.index.json not found", message);
    }

    [Fact]
    public void ConfigParse_ReadsEosListAndDefaultsHeadDim()
    {
        var config = ModelConfig.Parse("""
            {"architectures":["LlamaForCausalLM"],"hidden_size":4096,"intermediate_size":14336,"num_hidden_layers":32,
             "num_attention_heads":32,"num_key_value_heads":8,"vocab_size":128256,"rms_norm_eps":1e-5,"rope_theta":500000.0,
             "rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"},
             "tie_word_embeddings":false,"bos_token_id":128000,"eos_token_id":[128001,128008,128009]}
            """);
        Assert.Equal(128, config.HeadDim);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
        Assert.Equal(new Llama3RopeScaling(8, 1, 4, 8192), config.RopeScaling);
        Assert.Equal(8_030_261_248, config.ParameterCount());
    }

    [Fact]
    public void ConfigParse_Gemma2_2bParameterCountMatchesThePublishedSize()
    {
        var config = ModelConfig.Parse("""
            {"architectures":["Gemma2ForCausalLM"],"model_type":"gemma2","hidden_size":2304,"intermediate_size":9216,
             "num_hidden_layers":26,"num_attention_heads":8,"num_key_value_heads":4,"head_dim":256,"vocab_size":256000,
             "query_pre_attn_scalar":256,"sliding_window":4096,"attn_logit_softcapping":50.0,"final_logit_softcapping":30.0,
             "hidden_activation":"gelu_pytorch_tanh","rms_norm_eps":1e-06,"eos_token_id":1,"bos_token_id":2}
            """);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal(2_614_341_888, config.ParameterCount());
    }

    public void Dispose() => _temp.Dispose();
}
