using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Igor.GitHubActions.Testing.Http;

/// <summary>GitHub-style error bodies: <c>{"message", "documentation_url", "status"}</c>, plus <c>errors</c> for validation failures.</summary>
internal static class ApiErrors
{
    public const string Docs = "https://docs.github.com/rest";

    public static IResult Error(int status, string message, string documentationUrl = Docs, JsonArray? errors = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var body = new JsonObject { ["message"] = message };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        body["documentation_url"] = documentationUrl;
        body["status"] = status.ToString(CultureInfo.InvariantCulture);
        return new JsonApiResult(body, status, headers);
    }

    public static IResult NotFound(string documentationUrl = Docs) => Error(StatusCodes.Status404NotFound, "Not Found", documentationUrl);

    public static IResult Unprocessable(string message, string documentationUrl = Docs) => Error(StatusCodes.Status422UnprocessableEntity, message, documentationUrl);

    public static IResult BadCredentials() => Error(StatusCodes.Status401Unauthorized, "Bad credentials");

    public static IResult ProblemsParsingJson() => Error(StatusCodes.Status400BadRequest, "Problems parsing JSON");

    /// <summary>422 "Validation Failed" with one error item.</summary>
    public static IResult ValidationFailed(string resource, string field, string code, string? message = null)
    {
        var item = new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field };
        if (message is not null)
        {
            item["message"] = message;
        }

        return Error(StatusCodes.Status422UnprocessableEntity, "Validation Failed", Docs, [item]);
    }

    /// <summary>The JSON-schema style 422: "Invalid request.\n\n{detail}".</summary>
    public static IResult InvalidRequest(string detail, int status = StatusCodes.Status422UnprocessableEntity) =>
        Error(status, $"Invalid request.\n\n{detail}");
}
