using Microsoft.Extensions.Configuration;
using SasDashboard.Steering.Evaluation.Judging;

namespace SasDashboard.Cli.Configuration;

/// <summary>
/// The CLI's settings, from (later wins) <c>appsettings.json</c> next to the executable, the older flat variables
/// (<c>SAS_DATA_DIR</c>, <c>SAS_JUDGE_BASE_URL</c>, <c>SAS_JUDGE_MODEL</c>, <c>SAS_JUDGE_API_KEY</c>), and variables
/// named <c>SAS_</c> + section + <c>__</c> + key (e.g. <c>SAS_ENGINE__DEVICE</c>). They are the defaults of the
/// matching command-line options, which override them.
/// </summary>
public sealed record SasSettings(EngineOptions Engine, JudgeOptions Judge, DemoOptions Demo)
{
    public const string FileName = "appsettings.json";
    public const string EnvironmentPrefix = "SAS_";
    public const string JudgeSection = "Judge";

    /// <summary>The flat variable names that predate the sections (after the prefix), and the keys they set.</summary>
    private static readonly (string Variable, string Key)[] FlatVariables =
    [
        ("DATA_DIR", $"{EngineOptions.Section}:{nameof(EngineOptions.DataDirectory)}"),
        ("JUDGE_BASE_URL", $"{JudgeSection}:{nameof(JudgeOptions.BaseUrl)}"),
        ("JUDGE_MODEL", $"{JudgeSection}:{nameof(JudgeOptions.Model)}"),
        ("JUDGE_API_KEY", $"{JudgeSection}:{nameof(JudgeOptions.ApiKey)}"),
    ];

    /// <summary>The settings of this process: <c>appsettings.json</c> beside the executable, then the environment.</summary>
    public static SasSettings Load() => From(Build(AppContext.BaseDirectory));

    /// <summary>The configuration from <paramref name="directory"/>'s <c>appsettings.json</c> (optional), then the environment.</summary>
    public static IConfigurationRoot Build(string directory, string environmentPrefix = EnvironmentPrefix) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Path.GetFullPath(directory), FileName), optional: true, reloadOnChange: false)
            .AddInMemoryCollection(FlatVariables
                .Select(flat => (flat.Key, Value: Environment.GetEnvironmentVariable(environmentPrefix + flat.Variable)))
                .Where(pair => !string.IsNullOrEmpty(pair.Value))
                .Select(pair => KeyValuePair.Create(pair.Key, pair.Value)))
            .AddEnvironmentVariables(environmentPrefix)
            .Build();

    public static SasSettings From(IConfiguration configuration) => new(
        configuration.GetSection(EngineOptions.Section).Get<EngineOptions>() ?? new EngineOptions(),
        configuration.GetSection(JudgeSection).Get<JudgeOptions>() ?? new JudgeOptions(),
        configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions());

    /// <summary>The judge when both its URL and model are set, else null (open-ended answers then go unscored).</summary>
    public JudgeOptions? ConfiguredJudge => Judge is { BaseUrl.Length: > 0, Model.Length: > 0 } ? Judge : null;
}
