using System.Text;
using System.Text.Json.Nodes;
using Igor.GitHubActions.Testing.Auth;
using Igor.GitHubActions.Testing.Http;
using Igor.GitHubActions.Testing.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Igor.GitHubActions.Testing.Routes;

/// <summary><c>GET /repos/{o}/{r}/contents/{path}?ref=</c>: JSON content objects (base64) or raw bytes with the raw media type.</summary>
internal static class ContentRoutes
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorCore core)
    {
        routes.MapGet("/repos/{owner}/{repo}/contents", (HttpContext context, string owner, string repo) => Get(core, context, owner, repo, ""));
        routes.MapGet("/repos/{owner}/{repo}/contents/{**path}", (HttpContext context, string owner, string repo, string path) => Get(core, context, owner, repo, path));
    }

    private static IResult Get(SimulatorCore core, HttpContext context, string owner, string repo, string path)
    {
        var access = Access.Repo(core, context, owner, repo, "contents", write: false);
        if (access.Error is { } error)
        {
            return error;
        }

        var repository = access.Repository!;
        var reference = context.Request.Query["ref"].ToString();
        path = path.Trim('/');
        var urls = Urls.From(context);
        lock (core.Sync)
        {
            var resolved = repository.Refs.Resolve(reference.Length == 0 ? repository.DefaultBranch : reference);
            if (resolved is null)
            {
                return reference.Length > 0
                    ? ApiErrors.Error(StatusCodes.Status404NotFound, $"No commit found for the ref {reference}", "https://docs.github.com/rest/repos/contents#get-repository-content")
                    : ApiErrors.NotFound();
            }

            var refName = reference.Length == 0 ? repository.DefaultBranch : reference;
            if (resolved.State.Files.TryGetValue(path, out var bytes))
            {
                var sha = BlobSha(bytes);
                if (IsRaw(context.Request.Headers.Accept.ToString()))
                {
                    return new RawResult(bytes, "text/plain; charset=utf-8", sha);
                }

                var json = Entry(urls, repository, refName, path, bytes.Length, sha, "file");
                json["content"] = Wrap(Convert.ToBase64String(bytes));
                json["encoding"] = "base64";
                return new JsonApiResult(json, 200);
            }

            var prefix = path.Length == 0 ? "" : path + "/";
            var children = resolved.State.Files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (children.Count == 0)
            {
                return ApiErrors.NotFound("https://docs.github.com/rest/repos/contents#get-repository-content");
            }

            var entries = children
                .Select(k => k[prefix.Length..].Split('/')[0])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(name =>
                {
                    var childPath = prefix + name;
                    return resolved.State.Files.TryGetValue(childPath, out var file)
                        ? (JsonNode)Entry(urls, repository, refName, childPath, file.Length, BlobSha(file), "file")
                        : Entry(urls, repository, refName, childPath, 0, SimulatorCore.Sha($"tree|{resolved.Sha}|{childPath}"), "dir");
                });
            return new JsonApiResult(new JsonArray([.. entries]), 200);
        }
    }

    private static bool IsRaw(string accept) =>
        accept.Contains("application/vnd.github.raw", StringComparison.OrdinalIgnoreCase)
        || accept.Contains("application/vnd.github.v3.raw", StringComparison.OrdinalIgnoreCase);

    private static JsonObject Entry(Urls urls, SimulatedRepository repository, string refName, string path, int size, string sha, string type)
    {
        var self = $"{urls.Repo(repository)}/contents/{path}?ref={Uri.EscapeDataString(refName)}";
        var git = $"{urls.Repo(repository)}/git/{(type == "file" ? "blobs" : "trees")}/{sha}";
        var html = $"{urls.RepoHtml(repository)}/{(type == "file" ? "blob" : "tree")}/{refName}/{path}";
        return new JsonObject
        {
            ["name"] = path.Split('/')[^1],
            ["path"] = path,
            ["sha"] = sha,
            ["size"] = size,
            ["url"] = self,
            ["html_url"] = html,
            ["git_url"] = git,
            ["download_url"] = type == "file" ? $"{urls.Web}_raw/{repository.FullName}/{refName}/{path}" : null,
            ["type"] = type,
            ["_links"] = new JsonObject { ["self"] = self, ["git"] = git, ["html"] = html },
        };
    }

    /// <summary>The git blob sha of content.</summary>
    private static string BlobSha(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git object ids are SHA-1 by definition; no security use.
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }

    /// <summary>Base64 wrapped at 60 characters with newlines, as GitHub returns it.</summary>
    private static string Wrap(string base64)
    {
        var text = new StringBuilder();
        for (var i = 0; i < base64.Length; i += 60)
        {
            text.Append(base64, i, Math.Min(60, base64.Length - i)).Append('\n');
        }

        return text.ToString();
    }
}
