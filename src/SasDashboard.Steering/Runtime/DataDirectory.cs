namespace SasDashboard.Steering.Runtime;

/// <summary>Where the engine keeps caches and generated workspaces: $SAS_DATA_DIR, else the user's XDG data folder.</summary>
public static class DataDirectory
{
    public static string Root =>
        Environment.GetEnvironmentVariable("SAS_DATA_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
                "sas-dashboard");

    public static string ActivationCache => Path.Combine(Root, "activations");
}
