namespace Igor.GitHubActions.Security;

/// <summary>Fiat's authorizations on a build master, as Igor names them.</summary>
internal static class RequiredAccess
{
    public const string Read = "READ";

    public const string Write = "WRITE";
}
