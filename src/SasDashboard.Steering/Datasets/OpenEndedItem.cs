namespace SasDashboard.Steering.Datasets;

/// <summary>
/// One open-ended prompt. <paramref name="ExtraFields"/> keeps any other fields of the record: string
/// values as their text, other values as their JSON text.
/// </summary>
public sealed record OpenEndedItem(int Index, string Question, IReadOnlyDictionary<string, string> ExtraFields);
