using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing;

/// <summary>The roots URLs are built on: <see cref="Api"/> (with <c>/api/v3/</c> for enterprise-style clients) and <see cref="Web"/>. Both end with a slash.</summary>
internal sealed record Urls(string Api, string Web)
{
    public static Urls From(HttpContext context)
    {
        var web = $"{context.Request.Scheme}://{context.Request.Host}/";
        var pathBase = context.Request.PathBase.Value;
        return new Urls(string.IsNullOrEmpty(pathBase) ? web : $"{web}{pathBase.TrimStart('/')}/", web);
    }

    public string Repo(SimulatedRepository repository) => $"{Api}repos/{repository.FullName}";

    public string RepoHtml(SimulatedRepository repository) => $"{Web}{repository.FullName}";

    public string User(string login) => $"{Api}users/{login}";
}
