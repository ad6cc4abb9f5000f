using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using SasDashboard.Cli.Configuration;
using SasDashboard.Testing;

namespace SasDashboard.Cli.Tests;

/// <summary>
/// appsettings.json, then SAS_* environment variables, give the defaults of the CLI's options; the command line overrides.
/// In-process tests use a prefix of their own, so that the variables they set reach no other test.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _prefix = $"SASTEST{Guid.NewGuid():N}_";
    private readonly List<string> _variables = [];

    [Fact]
    public void ShippedAppSettings_HoldTheEngineDefaults()
    {
        string file = Path.Combine(AppContext.BaseDirectory, SasSettings.FileName);
        var settings = SasSettings.From(new ConfigurationBuilder().AddJsonFile(file, optional: false).Build());
        Assert.Equal(new EngineOptions { DataDirectory = "", Device = "auto", DType = "f32" }, settings.Engine);
        Assert.Equal("", settings.Judge.BaseUrl);
        Assert.Null(settings.ConfiguredJudge);
    }

    [Fact]
    public async Task AppSettingsValues_BecomeTheOptionDefaults()
    {
        string data = _temp.File("data");
        WriteAppSettings(new { Engine = new { DataDirectory = data, Device = "cpu", DType = "bf16" } });
        var settings = Load();

        var generate = await CliRunner.RunAsync(settings, "generate", "--help");
        Assert.Equal(0, generate.ExitCode);
        Assert.Contains("[default: cpu]", generate.Output);
        Assert.Contains("[default: bf16]", generate.Output);
        var buildVector = await CliRunner.RunAsync(settings, "build-vector", "--help");
        Assert.Contains($"[default: {Path.Combine(data, "activations")}]", buildVector.Output);
        var eval = await CliRunner.RunAsync(settings, "eval", "--help");
        Assert.Contains($"[default: {Path.Combine(data, "judgments.jsonl")}]", eval.Output);
    }

    [Fact]
    public void CommandLineOptions_OverrideTheConfiguredDefaults()
    {
        WriteAppSettings(new { Engine = new { Device = "cpu", DType = "bf16" } });
        var command = SasCommandLine.Create(Load());

        var defaulted = command.Parse(["generate", "--model", "m", "--prompt", "p"]);
        Assert.Equal("cpu", defaulted.GetValue<string>("--device"));
        Assert.Equal("bf16", defaulted.GetValue<string>("--dtype"));
        var overridden = command.Parse(["generate", "--model", "m", "--prompt", "p", "--device", "cuda", "--dtype", "f16"]);
        Assert.Equal("cuda", overridden.GetValue<string>("--device"));
        Assert.Equal("f16", overridden.GetValue<string>("--dtype"));
    }

    [Fact]
    public void EnvironmentVariables_OverrideAppSettings()
    {
        WriteAppSettings(new { Engine = new { Device = "cpu", DType = "bf16" }, Judge = new { BaseUrl = "http://file/v1", Model = "file" } });
        SetVariable("ENGINE__DTYPE", "f16");
        SetVariable("JUDGE__MODEL", "from-env");

        var settings = Load();
        Assert.Equal("cpu", settings.Engine.Device);
        Assert.Equal("f16", settings.Engine.DType);
        Assert.Equal("http://file/v1", settings.ConfiguredJudge?.BaseUrl);
        Assert.Equal("from-env", settings.ConfiguredJudge?.Model);
    }

    [Fact]
    public void FlatVariables_StillWork_AndSectionVariablesWin()
    {
        SetVariable("DATA_DIR", "/flat/data");
        SetVariable("JUDGE_BASE_URL", "http://localhost:8000/v1");
        SetVariable("JUDGE_MODEL", "flat-model");
        SetVariable("JUDGE_API_KEY", "secret");
        var flat = Load();
        Assert.Equal(Path.Combine("/flat/data", "activations"), flat.Engine.ActivationCache);
        Assert.Equal(("http://localhost:8000/v1", "flat-model", "secret"),
            (flat.ConfiguredJudge?.BaseUrl, flat.ConfiguredJudge?.Model, flat.ConfiguredJudge?.ApiKey));

        SetVariable("JUDGE__MODEL", "section-model");
        Assert.Equal("section-model", Load().ConfiguredJudge?.Model);
    }

    [Fact]
    public void NoJudgeUrl_MeansNoJudge()
    {
        SetVariable("JUDGE__MODEL", "m");
        Assert.Null(Load().ConfiguredJudge);
    }

    /// <summary>The real <c>sas</c>, as a process: SAS_ENGINE__* variables change the defaults its help shows.</summary>
    [Fact]
    public async Task RealExecutable_TakesItsDefaultsFromSasVariables()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "sas.dll"), "bench", "load", "--help" })
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith(SasSettings.EnvironmentPrefix, StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["SAS_ENGINE__DEVICE"] = "cpu";
        start.Environment["SAS_ENGINE__DTYPE"] = "bf16";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, await error);
        Assert.Contains("[default: cpu]", await output);
        Assert.Contains("[default: bf16]", await output);
    }

    private SasSettings Load() => SasSettings.From(SasSettings.Build(_temp.Path, _prefix));

    private void WriteAppSettings(object settings) =>
        _temp.Write(SasSettings.FileName, System.Text.Json.JsonSerializer.Serialize(settings));

    private void SetVariable(string name, string value)
    {
        _variables.Add(_prefix + name);
        Environment.SetEnvironmentVariable(_prefix + name, value);
    }

    public void Dispose()
    {
        foreach (var name in _variables) Environment.SetEnvironmentVariable(name, null);
        _temp.Dispose();
    }
}
