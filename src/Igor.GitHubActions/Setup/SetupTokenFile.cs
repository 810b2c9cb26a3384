using System.Security.Cryptography;

namespace Igor.GitHubActions.Setup;

/// <summary>
/// Who may use the setup page: whoever can read the token file written beside the configuration file (0600), as
/// Jenkins' first start does with its initial password; the token never goes to the log. <c>Setup:Token</c> sets it.
/// </summary>
internal sealed class SetupTokenFile
{
    private SetupTokenFile(string path, string token)
    {
        Path = path;
        Token = token;
    }

    public string Path { get; }

    public string Token { get; }

    public static SetupTokenFile Create(string configFile, string? configured)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(configFile)!, ".igor-setup-token");
        var token = string.IsNullOrWhiteSpace(configured) ? RandomNumberGenerator.GetHexString(32, lowercase: true) : configured.Trim();
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(token);
        }

        return new SetupTokenFile(path, token);
    }

    public void Delete() => File.Delete(Path);
}
