using Refit;

namespace Igor.GitHubActions.Security;

/// <summary>Fiat's authorization read (fiat-api AuthorizeController), as Igor's FiatPermissionEvaluator calls it.</summary>
internal interface IFiatApi
{
    /// <summary>The user's permissions (UserPermission.View); 404 when Fiat does not know the user.</summary>
    [Get("/authorize/{user}")]
    Task<IApiResponse<FiatUserPermission>> GetUserPermissionAsync(string user, CancellationToken cancellationToken);
}
