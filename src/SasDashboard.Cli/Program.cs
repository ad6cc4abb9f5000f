using SasDashboard.Cli;

return await SasCommandLine.Create().Parse(args).InvokeAsync();
