using System.Globalization;
using System.Net;
using System.Text;

namespace Igor.GitHubActions.Setup;

/// <summary>The setup pages: self-contained HTML (inline CSS, no script), everything from input encoded.</summary>
internal static class SetupPages
{
    private const string Style = """
        body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
        h1{font-size:1.5rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
        input[type=text],input[type=password]{width:100%;padding:.4rem;border:1px solid #d0d7de;border-radius:6px;font:inherit}
        small{color:#59636e;display:block}button{margin-top:1.2rem;padding:.5rem 1rem;border:0;border-radius:6px;background:#1f883d;color:#fff;font:inherit;font-weight:600}
        .error{background:#ffebe9;border:1px solid #ff818266;padding:.6rem;border-radius:6px}code,pre{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
        pre{padding:.6rem;overflow:auto}dt{font-weight:600}dd{margin:0 0 .5rem}
        """;

    /// <summary>The CSP of every setup page; the manifest page may also post its form to GitHub's web host.</summary>
    public static string ContentSecurityPolicy(Uri? formTarget = null) =>
        $"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'{(formTarget is null ? "" : " " + formTarget.GetLeftPart(UriPartial.Authority))}";

    public static string Form(SetupForm form, string configFile, string tokenFile, string? error) => Page("Connect Spinnaker to GitHub Actions", $"""
        <p>No GitHub master is configured yet. This page registers a <strong>GitHub App</strong> for the service on
        github.com or your GitHub Enterprise Server, with exactly the permissions and webhook events it needs, and writes
        its id, private key and webhook secret to <code>{E(configFile)}</code> (readable by this user only).</p>
        {(error is null ? "" : $"<p class=\"error\" id=\"error\">{E(error)}</p>")}
        <form method="post" action="/setup/manifest">
          <label for="token">Setup token</label>
          <input type="password" id="token" name="token" autocomplete="off" value="">
          <small>In <code>{E(tokenFile)}</code> on the service's machine (or <code>Setup:Token</code>).</small>
          <label for="github">GitHub</label>
          <input type="text" id="github" name="github" value="{E(form.GitHub)}">
          <small><code>https://github.com</code>, or your GitHub Enterprise Server, e.g. <code>https://github.example.com</code>.</small>
          <label for="organization">Organization</label>
          <input type="text" id="organization" name="organization" value="{E(form.Organization)}">
          <small>Who owns the App; empty for your personal account.</small>
          <label for="publicUrl">This service's address, as GitHub reaches it</label>
          <input type="text" id="publicUrl" name="publicUrl" value="{E(form.PublicUrl)}">
          <small>GitHub sends webhooks to <code>/webhooks/github</code> under it and returns you to <code>/setup/callback</code>.</small>
          <label for="master">Master name</label>
          <input type="text" id="master" name="master" value="{E(form.Master)}">
          <small>What Deck's Jenkins stage lists.</small>
          <label for="repositories">Repositories</label>
          <input type="text" id="repositories" name="repositories" value="{E(form.Repositories)}">
          <small>The allowlist: <code>owner/repo</code> or <code>owner/*</code>, separated by commas.</small>
          <label><input type="checkbox" id="repositoryDispatch" name="repositoryDispatch" value="true"{(form.RepositoryDispatch ? " checked" : "")}> Start <code>repository_dispatch</code> workflows (Contents: write instead of read)</label>
          <button type="submit" id="continue">Continue</button>
        </form>
        """);

    public static string Manifest(SetupRequest request, string manifestJson, Uri newAppUrl) => Page("Create the GitHub App", $"""
        <p>GitHub will ask you to confirm an App owned by <strong>{E(request.Organization ?? "your account")}</strong> on
        <code>{E(request.WebUrl.GetLeftPart(UriPartial.Authority))}</code>, with these settings:</p>
        <dl>
          <dt>Repository permissions</dt><dd>Actions: write · Contents: {(request.RepositoryDispatch ? "write" : "read")} · Deployments: write · Commit statuses: write · Metadata: read</dd>
          <dt>Webhook events</dt><dd>Workflow run · Deployment</dd>
          <dt>Webhook URL</dt><dd><code>{E(new Uri(request.PublicUrl, "webhooks/github").ToString())}</code></dd>
          <dt>Master</dt><dd><code>{E(request.MasterName)}</code> for <code>{E(string.Join(", ", request.Repositories))}</code></dd>
        </dl>
        <form method="post" action="{E(newAppUrl.ToString())}">
          <input type="hidden" name="manifest" value="{E(manifestJson)}">
          <button type="submit" id="create-on-github">Create the App on GitHub</button>
        </form>
        """);

    public static string Done(CreatedApp app, SetupRequest request, string configFile) => Page("The GitHub App is ready", $"""
        <p>GitHub created the App <strong id="app">{E(app.Name)}</strong> (id {app.Id.ToString(CultureInfo.InvariantCulture)}). Its id, private
        key and webhook secret are in <code id="config">{E(configFile)}</code>, readable by this user only; the service
        starts on it now, as master <code>{E(request.MasterName)}</code>.</p>
        <p><strong>Last step: install the App</strong> on the repositories of the allowlist
        (<code>{E(string.Join(", ", request.Repositories))}</code>):
        <a id="install" href="{E(app.HtmlUrl.TrimEnd('/'))}/installations/new">{E(app.HtmlUrl.TrimEnd('/'))}/installations/new</a>.</p>
        <p>Then point Orca, Echo, Gate and Fiat at this service (README, "Registering it in Spinnaker"). Start it from now
        on with <code>--config {E(configFile)}</code>.</p>
        """);

    public static string Problem(string title, string message) => Page(title, $"<p class=\"error\" id=\"error\">{E(message)}</p><p><a href=\"/setup\">Back to the setup page</a></p>");

    private static string Page(string title, string body) => new StringBuilder()
        .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
        .Append(CultureInfo.InvariantCulture, $"<title>{E(title)} · Igor for GitHub Actions</title><style>{Style}</style></head><body>")
        .Append(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>{body}</body></html>")
        .ToString();

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
