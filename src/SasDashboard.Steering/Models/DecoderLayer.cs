using static TorchSharp.torch;

namespace SasDashboard.Steering.Models;

/// <summary>One transformer block: maps the residual stream before the block to the residual stream after it.</summary>
public abstract class DecoderLayer(string name) : nn.Module(name)
{
    public abstract Tensor Forward(Tensor hidden, ForwardContext context);
}
