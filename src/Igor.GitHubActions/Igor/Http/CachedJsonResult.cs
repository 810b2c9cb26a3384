using System.Runtime.CompilerServices;
using System.Text.Json;
using Igor.GitHubActions.Contracts.Builds;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Igor.GitHubActions.Igor.Http;

/// <summary>
/// A build as JSON with a <c>Content-Length</c>. Orca, Echo and Deck poll builds most: a finished one (the same object
/// for as long as its run state is cached) is serialized once, however many poll it.
/// </summary>
internal static class CachedJsonResult
{
    private static readonly ConditionalWeakTable<GenericBuild, byte[]> Serialized = [];

    public static IResult For(GenericBuild build, HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var json = build.Building
            ? JsonSerializer.SerializeToUtf8Bytes(build, options.GetTypeInfo(typeof(GenericBuild)))
            : Serialized.GetValue(build, b => JsonSerializer.SerializeToUtf8Bytes(b, options.GetTypeInfo(typeof(GenericBuild))));
        return TypedResults.Bytes(json, "application/json; charset=utf-8");
    }
}
