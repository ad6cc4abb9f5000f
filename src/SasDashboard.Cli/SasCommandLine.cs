using System.CommandLine;
using SasDashboard.Cli.Commands;

namespace SasDashboard.Cli;

/// <summary>The <c>sas</c> command and its verbs.</summary>
public static class SasCommandLine
{
    public static RootCommand Create() => new("sas — Sparse Activation Steering: run models, build steering vectors, evaluate.")
    {
        GenerateCommand.Create(),
        EvalCommand.Create(),
        InspectModelCommand.Create(),
        BuildVectorCommand.Create(),
        InspectVectorCommand.Create(),
        BenchCommand.Create(),
        DemoCommand.Create(),
    };
}
