using SasDashboard.Steering.Demo;

namespace SasDashboard.Cli.Configuration;

/// <summary>The "Demo" section: the defaults of <c>sas demo prepare</c>.</summary>
public sealed record DemoOptions
{
    public const string Section = "Demo";

    public DemoSize Size { get; set; } = DemoSize.Small;

    public int Seed { get; set; } = 1;
}
