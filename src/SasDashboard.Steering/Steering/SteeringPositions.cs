using SasDashboard.Steering.Models;
using static TorchSharp.torch;

namespace SasDashboard.Steering.Steering;

public enum SteeringSpan
{
    /// <summary>Every token, prompt and generated.</summary>
    All,
    /// <summary>Tokens at position <see cref="SteeringPositions.Start"/> and later (positions ignore left padding).</summary>
    FromPosition,
    /// <summary>Only tokens the model generates (and the forward pass that predicts the first of them).</summary>
    GeneratedOnly,
}

/// <summary>Which tokens a steering edit applies to.</summary>
public sealed record SteeringPositions(SteeringSpan Span, int Start = 0)
{
    public static SteeringPositions All { get; } = new(SteeringSpan.All);
    public static SteeringPositions GeneratedOnly { get; } = new(SteeringSpan.GeneratedOnly);
    public static SteeringPositions From(int start) => new(SteeringSpan.FromPosition, start);

    /// <summary>A 0/1 mask <c>[batch or 1, tokens, 1]</c> in <paramref name="dtype"/>, or null when every token is steered.</summary>
    public Tensor? Mask(ForwardContext context, ScalarType dtype)
    {
        switch (Span)
        {
            case SteeringSpan.All:
                return null;
            case SteeringSpan.FromPosition:
                return (context.PositionIds >= Start).to(dtype).unsqueeze(-1);
            default:
                // The last prompt token's pass already predicts the first generated token, so it is steered too.
                long firstSteered = context.PromptLength - 1;
                var cacheIndex = arange(context.PastLength, context.PastLength + context.QueryLength, ScalarType.Int64,
                    context.PositionIds.device);
                return (cacheIndex >= firstSteered).to(dtype).view(1, -1, 1);
        }
    }
}
