using System.CommandLine;

namespace SasDashboard.Cli.Commands;

public static class GenerateCommand
{
    public static Command Create() => new("generate", "Generate a continuation of a prompt.");
}
