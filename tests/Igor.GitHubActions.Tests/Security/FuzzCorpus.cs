using System.Globalization;
using System.Text;
using Igor.GitHubActions.Tests.Infrastructure;

namespace Igor.GitHubActions.Tests.Security;

/// <summary>
/// Generates hostile requests for every route of the service from a fixed seed: Igor's paths with odd masters, job
/// names, numbers, encodings, queries, headers and bodies, signed and unsigned webhooks, Echo's events and the custom
/// stages with right, wrong and missing secrets, the log pages with forged signatures, the CI builds and the admin
/// route, and paths that match nothing.
/// The same seed always gives the same sequence, so a failure names the request to replay.
/// </summary>
public sealed class FuzzCorpus(int seed)
{
    private static readonly string[] Masters = [GitHubScenario.Master, GitHubScenario.Master, "other", "", "..", "%2e%2e", "%2F", "gh%00x", "travis-x", "%ff", "a%20b", "%252F"];

    private static readonly string[] JobPieces =
    [
        "acme", "api", "web", "deploy.yml", "build.yml", "release.yml", "ci.yml", "..", ".", "%2e%2e", "%2F", "..%2F..%2Fetc%2Fpasswd", "%5C",
        "%25", "%0a", "%0d%0a", "~", ".github", "workflows", "x.yaml", "evil", "a b", "%20", "%C3%A9", "%E2%80%AE", "%zz", "%", "?", "#",
        "deploy.yml%3F", "deploy.yml%23", "%EF%BF%BF", "CON", "*", "acme/api", "%2Facme",
    ];

    private static readonly string[] Numbers = ["1", "2", "0", "-1", "2147483647", "2147483648", "99999999999999999999", "abc", "1e3", "0x10", "%31", "", "1.5", "+1"];

    private static readonly string[] Users = ["alice", "alice", "reader", "mallory", "", " ", "..", "%00", "x@y", "ĝ"];

    private static readonly string[] Events = ["workflow_run", "workflow_run", "deployment", "ping", "installation", "installation_repositories", "push", "", "x\ty"];

    private readonly Random _random = new(seed);

    public FuzzRequest Next(int index)
    {
        var (method, target, body) = Pick(16) switch
        {
            12 => ("POST", "/echo/events", EchoBody()),
            13 => (Chance(5) ? "GET" : "POST", Pick(
                "/stages/workflow-runs", "/stages/workflow-runs/cancel", "/stages/deployments", "/stages/deployment-statuses", "/stages/commit-statuses",
                $"/stages/workflow-runs/{Master()}/{Number()}?job={Uri.EscapeDataString(RawJob())}",
                $"/stages/workflow-runs/{Master()}/{Number()}/cancel?job={Uri.EscapeDataString(RawJob())}"), StageBody()),
            14 => ("GET", Pick(
                $"/logs/{Master()}/{Piece()}/{Piece()}/{Number()}/", $"/logs/{Master()}/acme/api/{Number()}/consoleText",
                $"/logs/{Master()}/acme/api/{Number()}/jobs/{Number()}/raw", $"/logs/{Master()}/acme/api/{Number()}/{Word()}/",
                $"/logs/{Master()}/acme/api/{Number()}/{new string('a', 32)}/consoleText"), null),
            15 => ("GET", Pick(
                $"/ci/builds?projectKey={Word()}&repoSlug={Word()}{Maybe("&buildNumber=" + Number())}{Maybe("&commitId=" + Word())}",
                "/ci/builds?projectKey=acme&repoSlug=api", $"/ci/builds/{Word()}/output", $"/ci/builds/{Number()}/output",
                "/admin/outbox/dead-letters"), null),
            0 => ("GET", Pick("/masters", "/masters?type=" + Word(), "/buildServices", "/health", "/metrics", "/installedPlugins", "/masters?type=jenkins&type=x"), null),
            1 => ("GET", $"/jobs/{Master()}{Maybe("/" + Job())}", null),
            2 => ("GET", $"/builds/status/{Number()}/{Master()}{(Chance(2) ? "/" + Job() : "?job=" + Uri.EscapeDataString(RawJob()))}", null),
            3 => ("GET", $"/builds/artifacts/{Number()}/{Master()}?job={Uri.EscapeDataString(RawJob())}{Maybe("&propertyFile=" + Word())}", null),
            4 => ("GET", $"/builds/properties/{Number()}/{Word()}/{Master()}?job={Uri.EscapeDataString(RawJob())}", null),
            5 => ("GET", $"/builds/queue/{Master()}/{Number()}", null),
            6 => ("GET", $"/builds/all/{Master()}/{Job()}", null),
            7 => ("PUT", $"/masters/{Master()}/jobs/{Job()}{Query()}", StartBody()),
            8 => ("PUT", Chance(2)
                ? $"/masters/{Master()}/jobs/stop/{Number()}/{Number()}?jobName={Uri.EscapeDataString(RawJob())}"
                : $"/masters/{Master()}/jobs/{Job()}/stop/{Number()}/{Number()}", Encoding.UTF8.GetBytes("\"\"")),
            9 => ("PATCH", $"/masters/{Master()}/jobs/{Job()}/update/{Number()}", Encoding.UTF8.GetBytes("{\"description\":\"x\"}")),
            10 => ("POST", "/webhooks/github", WebhookBody()),
            _ => (Pick("GET", "POST", "DELETE", "OPTIONS", "HEAD", "PUT", "TRACE"), "/" + string.Join('/', Enumerable.Range(0, Pick(6)).Select(_ => Piece())), RandomBody()),
        };

        if (Chance(10))
        {
            method = Pick("DELETE", "POST", "HEAD", "OPTIONS", "PATCH");
        }

        var headers = new List<(string, string)>();
        if (!Chance(5))
        {
            headers.Add(("X-SPINNAKER-USER", Pick(Users)));
        }

        headers.Add(("Content-Type", Pick("application/json", "application/json; charset=UTF-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "")));
        if (Chance(2))
        {
            headers.Add(("X-SPINNAKER-EXECUTION-ID", Word()));
        }

        if (target.StartsWith("/stages/", StringComparison.Ordinal) || Chance(10))
        {
            headers.Add(("X-Igor-Stages-Secret", Pick(GitHubScenario.StagesSecret, GitHubScenario.StagesSecret, "", "wrong", GitHubScenario.StagesSecret + "x", Word())));
        }

        if (target.StartsWith("/echo/", StringComparison.Ordinal) || Chance(10))
        {
            headers.Add(("X-Igor-Events-Secret", Pick(GitHubScenario.EventsSecret, GitHubScenario.EventsSecret, "", "wrong", Word())));
        }

        if (target.StartsWith("/webhooks/", StringComparison.Ordinal) || Chance(8))
        {
            headers.Add(("X-GitHub-Event", Pick(Events)));
            headers.Add(("X-GitHub-Delivery", Chance(10) ? "" : string.Create(CultureInfo.InvariantCulture, $"{_random.Next():x8}-{_random.Next():x8}")));
            headers.Add(("X-Hub-Signature-256", body is not null && Chance(2)
                ? WebhookSigner.Sign(GitHubScenario.WebhookSecret, body)
                : Pick("sha256=" + new string('0', 64), "sha1=abc", "", "sha256=zz", "sha256=" + Word())));
        }

        return new FuzzRequest(index, method, target, headers, body, FiatDown: Chance(10));
    }

    private int Pick(int count) => _random.Next(count);

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private bool Chance(int oneIn) => _random.Next(oneIn) == 0;

    private string Maybe(string text) => Chance(2) ? text : "";

    private string Master() => Chance(15) ? Word() : Pick(Masters);

    private string Number() => Pick(Numbers);

    private string Piece() => Chance(6) ? Word() : Pick(JobPieces);

    /// <summary>A job in the path form: mostly three segments, sometimes valid, sometimes more or fewer.</summary>
    private string Job() => Chance(4)
        ? Pick("acme/api/deploy.yml", "acme/api/build.yml", "acme/web/pages.yml", "acme/api/release.yml", "evil/repo/x.yml")
        : string.Join('/', Enumerable.Range(0, Pick(1, 2, 3, 3, 3, 4, 6)).Select(_ => Piece()));

    /// <summary>A job in the query form, decoded (the caller encodes it once).</summary>
    private string RawJob() => Chance(3)
        ? Pick("acme/api/deploy.yml", "acme/api/build.yml", "/etc/passwd", "acme/../x.yml", "acme/api/deploy.yml\n", "a/b/c/d.yml", "")
        : Uri.UnescapeDataString(Job());

    private string Word()
    {
        const string alphabet = "abcxyz019-_.~%/\\:@!$&'()*+,;=\"<>[]{}|^`";
        var length = Chance(20) ? _random.Next(300, 3000) : _random.Next(0, 12);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[_random.Next(alphabet.Length)]);
        }

        return Uri.EscapeDataString(text.ToString());
    }

    private string Query()
    {
        var parts = Enumerable.Range(0, Chance(20) ? 30 : Pick(5)).Select(i => Pick(
            $"version={Word()}",
            $"github.ref={Pick("main", "v1.0.0", "feature/x", "refs/heads/../../x", "%00", Word())}",
            $"github.event_type={Word()}",
            $"{Word()}={Word()}",
            $"environment={Pick("staging", "production", "x")}",
            $"in%0aput={Word()}",
            "version=1&version=2",
            $"p{i.ToString(CultureInfo.InvariantCulture)}={new string('v', Chance(10) ? 3000 : 3)}"));
        var query = string.Join('&', parts);
        return query.Length == 0 ? "" : "?" + query;
    }

    private byte[]? StartBody() => Pick(
        Encoding.UTF8.GetBytes("\"1767225600000\""),
        Encoding.UTF8.GetBytes("\"\""),
        Encoding.UTF8.GetBytes("\"unterminated"),
        Encoding.UTF8.GetBytes("{\"a\":1}"),
        Encoding.UTF8.GetBytes(new string('x', 5000)),
        RandomBody(),
        null);

    private byte[]? WebhookBody() => Pick(
        Encoding.UTF8.GetBytes("{\"action\":\"completed\",\"workflow_run\":{\"id\":\"x\",\"run_number\":-5,\"path\":\".github/workflows/deploy.yml\"},\"repository\":{\"full_name\":\"acme/api\"}}"),
        Encoding.UTF8.GetBytes("{\"action\":\"completed\",\"workflow_run\":{\"id\":9007199254740993,\"run_number\":2147483648,\"path\":\"../../x.yml\",\"created_at\":\"yesterday\"},\"repository\":{\"full_name\":\"acme/api/../x\"}}"),
        Encoding.UTF8.GetBytes("{\"action\":\"created\",\"deployment\":{\"id\":[],\"payload\":\"" + new string('p', 2000) + "\",\"creator\":7},\"repository\":{\"full_name\":\"acme/api\"}}"),
        Encoding.UTF8.GetBytes("{\"action\":\"created\",\"installation\":null}"),
        Encoding.UTF8.GetBytes("{\"action\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}"),
        Encoding.UTF8.GetBytes("{\"action\":\"requested\",\"workflow_run\":{}}"),
        Encoding.UTF8.GetBytes("[]"),
        Encoding.UTF8.GetBytes("{\"a\":\"\uD800\"}"),
        RandomBody(),
        null);

    private byte[]? EchoBody() => Pick(
        Encoding.UTF8.GetBytes("{\"details\":{\"type\":\"orca:pipeline:complete\",\"application\":\"app\"},\"content\":{\"execution\":{\"id\":\"" + Word() +
            "\",\"status\":\"SUCCEEDED\",\"trigger\":{\"type\":\"webhook\",\"source\":\"github-deployment\",\"payload\":{\"repository\":\"acme/api\",\"deployment_id\":" +
            Number() + "}}}}}"),
        Encoding.UTF8.GetBytes("{\"details\":{\"type\":\"orca:pipeline:starting\"},\"content\":{\"execution\":{\"id\":[],\"trigger\":7}}}"),
        Encoding.UTF8.GetBytes("{\"eventName\":\"x\",\"payload\":\"{not json\"}"),
        Encoding.UTF8.GetBytes("{\"details\":{\"type\":\"build\"}}"),
        Encoding.UTF8.GetBytes("[" + new string('[', 200) + new string(']', 200) + "]"),
        RandomBody());

    private byte[]? StageBody() => Pick(
        Encoding.UTF8.GetBytes($"{{\"job\":\"{Pick("acme/api/deploy.yml", "acme/api/build.yml", "evil/repo/x.yml", Word())}\",\"inputs\":{{\"version\":\"{Word()}\"}},\"executionId\":\"{Word()}\",\"stageKey\":\"{Word()}\",\"stageStartTime\":\"{Number()}\"}}"),
        Encoding.UTF8.GetBytes($"{{\"repository\":\"{Pick("acme/api", "acme/web", "other/x", "acme", Word())}\",\"ref\":\"{Pick("main", Word())}\",\"environment\":\"{Word()}\",\"executionId\":\"{Word()}\"}}"),
        Encoding.UTF8.GetBytes($"{{\"repository\":\"acme/api\",\"deploymentId\":\"{Number()}\",\"state\":\"{Pick("success", "failure", "bogus", Word())}\",\"description\":\"{Word()}\"}}"),
        Encoding.UTF8.GetBytes($"{{\"repository\":\"acme/api\",\"sha\":\"{Pick(new string('a', 40), Word())}\",\"state\":\"{Pick("success", "pending", Word())}\",\"context\":\"{Word()}\",\"user\":\"{Pick(Users)}\"}}"),
        Encoding.UTF8.GetBytes("{\"job\":[1,2],\"inputs\":\"not an object\"}"),
        RandomBody());

    private byte[]? RandomBody()
    {
        if (Chance(3))
        {
            return null;
        }

        var bytes = new byte[Chance(20) ? _random.Next(70_000, 200_000) : _random.Next(0, 256)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
