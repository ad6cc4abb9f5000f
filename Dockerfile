# The `sas` command line in a container.
#   docker build -t sas .
#   docker run --rm -v sas-data:/data -v /path/to/models:/models:ro sas generate --model /models/gemma-2-2b-it --prompt "Hi"
#
# The .NET 10 images are Ubuntu 24.04 ("noble"; Microsoft ships no Debian images for .NET 10). Its libstdc++ (GCC 14)
# has GLIBCXX_3.4.32, so the TorchSharp native-library fix (docs/torchsharp-on-debian12.md) finds nothing to do here.
# Both stages use the same distribution on purpose: the build decides whether to patch from the libstdc++ it sees.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props appsettings.json ./
COPY build/ build/
COPY src/ src/
RUN dotnet restore src/SasDashboard.Cli/SasDashboard.Cli.csproj
RUN dotnet publish src/SasDashboard.Cli/SasDashboard.Cli.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble
WORKDIR /app
COPY --from=build /app ./
# Caches, judgments and workspaces go to the volume (the "Engine:DataDirectory" setting, see appsettings.json).
ENV SAS_ENGINE__DATADIRECTORY=/data
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
USER $APP_UID
ENTRYPOINT ["/app/sas"]
CMD ["--help"]
