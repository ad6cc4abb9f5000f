using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Demo;

/// <summary>Paths of the demo's benchmark files, in the real releases' layouts.</summary>
public sealed record DemoDatasetPaths(string Root)
{
    public string Generate(string behavior) => Path.Combine(Root, "caa", "generate", behavior, "generate_dataset.json");
    public string TestAb(string behavior) => Path.Combine(Root, "caa", "test", behavior, "test_dataset_ab.json");
    public string TestOpenEnded(string behavior) => Path.Combine(Root, "caa", "test", behavior, "test_dataset_open_ended.json");
    public string Mmlu => Path.Combine(Root, "mmlu");
    public string TruthfulQa => Path.Combine(Root, "truthfulqa", "mc_task.json");
}

/// <summary>Sizes of the demo's benchmark splits.</summary>
public sealed record DemoDatasetOptions(int GeneratePairs, int TestItems, int OpenEndedItems, int MmluDevPerSubject = 5);

/// <summary>
/// Writes the demo world's benchmarks in the formats of the real files, so that they go through the same importers:
/// CAA behaviour JSON (generate, A/B test and open-ended splits), MMLU's header-less CSV folders, and TruthfulQA's
/// <c>mc_task.json</c>. Generate and test questions are drawn independently.
/// </summary>
public static class DemoDatasetWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static DemoDatasetPaths Write(string root, SyntheticWorld world, DemoDatasetOptions options, int seed)
    {
        var paths = new DemoDatasetPaths(root);
        var random = new Random(seed);
        foreach (var behavior in DemoBehavior.All)
        {
            WriteAb(paths.Generate(behavior.Id), behavior, world, options.GeneratePairs, random);
            WriteAb(paths.TestAb(behavior.Id), behavior, world, options.TestItems, random);
            WriteJson(paths.TestOpenEnded(behavior.Id), new JsonArray(Enumerable.Range(0, options.OpenEndedItems)
                .Select(_ => (JsonNode)new JsonObject { ["question"] = behavior.Sample(world, random).Question }).ToArray()));
        }
        WriteMmlu(paths.Mmlu, world, options.MmluDevPerSubject, random);
        WriteTruthfulQa(paths.TruthfulQa, world);
        return paths;
    }

    /// <summary>A/B items with the matching answer first in half of them, in shuffled order.</summary>
    private static void WriteAb(string path, DemoBehavior behavior, SyntheticWorld world, int count, Random random)
    {
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var item = DemoCorpus.AbItem(behavior.Sample(world, random), matchingFirst: i % 2 == 0, i);
            return (Order: random.Next(), Node: (JsonNode)new JsonObject
            {
                ["question"] = item.Question,
                ["answer_matching_behavior"] = $"({item.MatchingLetter})",
                ["answer_not_matching_behavior"] = $"({item.NotMatchingLetter})",
            });
        }).OrderBy(r => r.Order).Select(r => r.Node).ToArray();
        WriteJson(path, new JsonArray(records));
    }

    private static void WriteMmlu(string root, SyntheticWorld world, int devPerSubject, Random random)
    {
        foreach (var attribute in SyntheticWorld.Attributes)
        {
            var facts = world.Facts.Where(f => f.Attribute == attribute).OrderBy(_ => random.Next()).ToList();
            // A split with no items gets no file: MMLU's importer rightly refuses an empty CSV.
            int dev = Math.Min(devPerSubject, facts.Count / 4), val = facts.Count / 10;
            WriteCsv(Path.Combine(root, "dev", $"{attribute.Subject}_dev.csv"), facts.Take(dev));
            if (val > 0) WriteCsv(Path.Combine(root, "val", $"{attribute.Subject}_val.csv"), facts.Skip(dev).Take(val));
            WriteCsv(Path.Combine(root, "test", $"{attribute.Subject}_test.csv"), facts.Skip(dev + val));
        }
    }

    private static void WriteCsv(string path, IEnumerable<WorldFact> facts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder();
        foreach (var fact in facts)
        {
            var item = DemoCorpus.QuizItem(fact, 0);
            var fields = new[] { item.Question }.Concat(item.Options).Append(item.CorrectLetter.ToString());
            text.Append(string.Join(",", fields.Select(Quoted))).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    private static string Quoted(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";

    /// <summary>MC1: the true value against the attribute's other values. MC2 adds a hedged true answer.</summary>
    private static void WriteTruthfulQa(string path, SyntheticWorld world)
    {
        var items = world.Facts.Select(fact =>
        {
            var mc1 = new JsonObject { [fact.Value] = 1 };
            foreach (var other in fact.Attribute.Values.Where(v => v != fact.Value)) mc1[other] = 0;
            var mc2 = new JsonObject { [fact.Value] = 1, [$"It is {fact.Value}."] = 1 };
            foreach (var other in fact.Attribute.Values.Where(v => v != fact.Value)) mc2[other] = 0;
            return (JsonNode)new JsonObject
            {
                ["question"] = DemoCorpus.QuestionFor(fact), ["mc1_targets"] = mc1, ["mc2_targets"] = mc2,
            };
        }).ToArray();
        WriteJson(path, new JsonArray(items));
    }

    private static void WriteJson(string path, JsonNode node)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, node.ToJsonString(Indented));
    }
}
