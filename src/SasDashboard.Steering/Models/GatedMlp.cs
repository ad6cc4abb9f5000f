using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasDashboard.Steering.Models;

/// <summary>Gated feed-forward block: <c>down(act(gate(x)) ⊙ up(x))</c> — SwiGLU for Llama, GeGLU (tanh GELU) for Gemma.</summary>
public sealed class GatedMlp : nn.Module<Tensor, Tensor>
{
    private readonly Projection _gate, _up, _down;
    private readonly Func<Tensor, Tensor> _activation;

    public GatedMlp(IWeightSource weights, string prefix, int hiddenSize, int intermediateSize, string activation)
        : base(nameof(GatedMlp))
    {
        _activation = activation switch
        {
            "silu" or "swish" => x => F.silu(x),
            "gelu_pytorch_tanh" or "gelu_tanh" => x => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
            "gelu" => x => F.gelu(x),
            _ => throw new ArgumentException($"unsupported hidden activation '{activation}'"),
        };
        _gate = new Projection(weights, $"{prefix}.gate_proj", intermediateSize, hiddenSize);
        _up = new Projection(weights, $"{prefix}.up_proj", intermediateSize, hiddenSize);
        _down = new Projection(weights, $"{prefix}.down_proj", hiddenSize, intermediateSize);
        register_module("gate_proj", _gate);
        register_module("up_proj", _up);
        register_module("down_proj", _down);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return _down.forward(_activation(_gate.forward(x)) * _up.forward(x)).MoveToOuterDisposeScope();
    }
}
