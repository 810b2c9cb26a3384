using System.Globalization;
using System.Text;

namespace Igor.GitHubActions.Setup;

/// <summary>
/// Writes the configuration the setup page produced: the App's id, key and webhook secret and the master, readable and
/// writable by the service's user only (0600), through a temporary file in the same directory so that a crash leaves
/// either no file or a whole one.
/// </summary>
internal static class SetupConfigFile
{
    /// <summary>Why the file cannot be written, or null: an existing file with content is never overwritten.</summary>
    public static string? Refusal(string path) =>
        File.Exists(path) && new FileInfo(path).Length > 0
            ? $"{path} exists and configures no master; add one there by hand (see the README's Configuration), or move the file away and start again"
            : Directory.Exists(Path.GetDirectoryName(path)) ? null : $"the directory of {path} does not exist";

    public static void Write(string path, SetupRequest request, CreatedApp app, TimeProvider time)
    {
        var yaml = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"# Written by the service's setup page on {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC for the GitHub App {app.Slug} ({app.HtmlUrl}).\n")
            .Append("# It holds the App's private key and webhook secret: keep it readable by the service's user only.\n")
            .Append("GitHub:\n")
            .Append(CultureInfo.InvariantCulture, $"  WebhookSecret: {Quote(app.WebhookSecret)}\n")
            .Append("  Masters:\n")
            .Append(CultureInfo.InvariantCulture, $"    - Name: {Quote(request.MasterName)}\n")
            .Append(CultureInfo.InvariantCulture, $"      ApiUrl: {Quote(request.ApiUrl.ToString())}\n")
            .Append(CultureInfo.InvariantCulture, $"      WebUrl: {Quote(request.WebUrl.ToString())}\n")
            .Append(CultureInfo.InvariantCulture, $"      AppId: {Quote(app.Id.ToString(CultureInfo.InvariantCulture))}\n")
            .Append("      Repositories:\n");
        foreach (var repository in request.Repositories)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"        - {Quote(repository)}\n");
        }

        yaml.Append("      PrivateKey: |\n");
        foreach (var line in app.Pem.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"        {line}\n");
        }

        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(yaml.ToString()));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

