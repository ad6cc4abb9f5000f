using System.Text.Json.Serialization;

namespace SasDashboard.Steering.Evaluation.Benchmarks;

/// <summary>
/// One item's result at one sweep point, so that every aggregate can be drilled into. <paramref name="Index"/> is the
/// item's 0-based position in its dataset (for MMLU, in its split). Serialised with a <c>type</c> discriminator.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PairedAnswerItemResult), "paired_answer")]
[JsonDerivedType(typeof(MmluItemResult), "mmlu")]
[JsonDerivedType(typeof(TruthfulQaItemResult), "truthfulqa")]
[JsonDerivedType(typeof(OpenEndedItemResult), "open_ended")]
public abstract record ItemResult(int Index);
