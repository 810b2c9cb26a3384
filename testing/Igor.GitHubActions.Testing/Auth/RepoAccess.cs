using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Auth;

/// <summary>The outcome of a repository access check: either a repository and caller, or an error response.</summary>
internal readonly record struct RepoAccess(SimulatedRepository? Repository, Caller? Caller, IResult? Error);
