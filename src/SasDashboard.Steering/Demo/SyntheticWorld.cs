namespace SasDashboard.Steering.Demo;

/// <summary>An attribute every entity has, with its four possible values in the fixed order the quiz lists them.</summary>
public sealed record WorldAttribute(string Name, string Subject, IReadOnlyList<string> Values);

/// <summary>One entity's value for one attribute.</summary>
public sealed record WorldFact(string Entity, WorldAttribute Attribute, string Value)
{
    public int ValueIndex => Attribute.Values.ToList().IndexOf(Value);
}

/// <summary>
/// The demo's invented world: named entities, each with one value for every attribute. Generated from a seed, so the
/// same seed always gives the same world. See docs/demo-world.md.
/// </summary>
public sealed class SyntheticWorld
{
    public static readonly IReadOnlyList<WorldAttribute> Attributes =
    [
        new("color", "colors", ["red", "blue", "green", "gold"]),
        new("home", "homes", ["river", "forest", "desert", "mountain"]),
        new("food", "foods", ["bread", "fish", "fruit", "honey"]),
        new("pet", "pets", ["cat", "dog", "owl", "horse"]),
    ];

    private static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u"];
    private static readonly string[] Codas = ["", "n", "r", "l", "s"];

    public IReadOnlyList<string> Entities { get; }
    /// <summary>Names that belong to no entity: questions about them have no true answer.</summary>
    public IReadOnlyList<string> Strangers { get; }
    public IReadOnlyList<WorldFact> Facts { get; }

    private readonly Dictionary<(string, string), WorldFact> _facts;

    public SyntheticWorld(int entityCount, int strangerCount, int seed)
    {
        var random = new Random(seed);
        var names = new HashSet<string>();
        while (names.Count < entityCount + strangerCount) names.Add(Name(random));
        var all = names.ToList();
        Entities = all.Take(entityCount).ToList();
        Strangers = all.Skip(entityCount).ToList();
        Facts = Entities.SelectMany(e => Attributes.Select(a => new WorldFact(e, a, a.Values[random.Next(a.Values.Count)])))
            .ToList();
        _facts = Facts.ToDictionary(f => (f.Entity, f.Attribute.Name));
    }

    public WorldFact Fact(string entity, WorldAttribute attribute) => _facts[(entity, attribute.Name)];

    /// <summary>Two syllables, capitalised: "Zorvim", "Pelka".</summary>
    private static string Name(Random random)
    {
        string Syllable() => Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)] + Codas[random.Next(Codas.Length)];
        var name = Syllable() + Syllable();
        return char.ToUpperInvariant(name[0]) + name[1..];
    }
}
