using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Igor.GitHubActions.Testing.State;

namespace Igor.GitHubActions.Testing.Auth;

/// <summary>Verifies GitHub App JWTs (RS256, iss = App id or client id, iat/exp rules of GitHub). Call under the simulator lock.</summary>
internal static class JwtValidator
{
    public const string CouldNotDecode = "A JSON web token could not be decoded";
    public const string BadIat = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    public const string ExpiredExp = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    public const string ExpTooFar = "'Expiration time' claim ('exp') is too far in the future";
    public const string UnknownIssuer = "Integration not found";

    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    public static SimulatedApp? Validate(SimulatorCore core, string jwt, out string error)
    {
        error = CouldNotDecode;
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        JsonElement header;
        JsonElement payload;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
            payload = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
            signature = Base64Url(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }

        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object
            || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
        {
            return null;
        }

        var app = FindIssuer(core, payload);
        if (app is null)
        {
            error = UnknownIssuer;
            return null;
        }

        if (!app.PublicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return null;
        }

        var now = core.Now.ToUnixTimeSeconds();
        if (!TryNumber(payload, "iat", out var iat) || iat > now + (long)Skew.TotalSeconds)
        {
            error = BadIat;
            return null;
        }

        if (!TryNumber(payload, "exp", out var exp) || exp <= now)
        {
            error = ExpiredExp;
            return null;
        }

        if (exp - iat > 600)
        {
            error = ExpTooFar;
            return null;
        }

        error = "";
        return app;
    }

    /// <summary>The <c>iss</c> claim without verifying anything (for rate-limit bucketing), or null.</summary>
    public static string? PeekIssuer(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
            return payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("iss", out var iss) ? iss.ToString() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static SimulatedApp? FindIssuer(SimulatorCore core, JsonElement payload)
    {
        if (!payload.TryGetProperty("iss", out var iss))
        {
            return null;
        }

        var text = iss.ValueKind switch
        {
            JsonValueKind.Number => iss.GetRawText(),
            JsonValueKind.String => iss.GetString(),
            _ => null,
        };
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && core.Apps.TryGetValue(id, out var byId)
            ? byId
            : core.Apps.Values.FirstOrDefault(a => a.ClientId == text);
    }

    private static bool TryNumber(JsonElement payload, string name, out long value)
    {
        value = 0;
        if (!payload.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (element.TryGetInt64(out value))
        {
            return true;
        }

        if (element.TryGetDouble(out var d))
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return Convert.FromBase64String(s);
    }
}
