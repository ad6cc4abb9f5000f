using System.CommandLine;
using SasDashboard.Cli.Commands;
using SasDashboard.Cli.Configuration;

namespace SasDashboard.Cli;

/// <summary>The <c>sas</c> command and its verbs.</summary>
public static class SasCommandLine
{
    /// <summary>The command line whose option defaults come from <paramref name="settings"/> (default: <see cref="SasSettings.Load"/>).</summary>
    public static RootCommand Create(SasSettings? settings = null)
    {
        settings ??= SasSettings.Load();
        return new RootCommand("sas — Sparse Activation Steering: run models, build steering vectors, evaluate.")
        {
            GenerateCommand.Create(settings.Engine),
            EvalCommand.Create(settings),
            InspectModelCommand.Create(),
            BuildVectorCommand.Create(settings.Engine),
            InspectVectorCommand.Create(),
            BenchCommand.Create(settings.Engine),
            DemoCommand.Create(settings),
        };
    }
}
