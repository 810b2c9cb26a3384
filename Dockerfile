# Production image of the service (the demo host and the simulator are not in it).
# docker build -t igor-github-actions . && docker run -p 8088:8088 -v $PWD/igor.yml:/config/igor.yml -v igor-data:/data igor-github-actions
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Igor.GitHubActions/Igor.GitHubActions.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The embedded SQLite store lives on a volume owned by the image's non-root user (app, uid 1654): it survives the
# container, and the user can write it. Mount a persistent volume at /data (docker run -v igor-data:/data ...).
# /config holds igor.yml: mounted (a ConfigMap or Secret), or, on a first start without one, written there by the
# setup page (/setup); mount a volume there too to keep what it writes.
RUN mkdir -p /data /config && chown app:app /data /config
ENV ASPNETCORE_URLS=http://0.0.0.0:8088 \
    State__Sqlite__Path=/data/igor-github-actions.db \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true
VOLUME /data
EXPOSE 8088
USER app
ENTRYPOINT ["dotnet", "Igor.GitHubActions.dll", "--config", "/config/igor.yml"]
