using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Custodian.Cli.Api;

/// <summary>An RFC 7807 problem the server answered with: its stable <c>code</c> and the words it chose for people.</summary>
internal sealed record ApiProblem(HttpStatusCode Status, string? Code, string Message, TimeSpan? RetryAfter)
{
    /// <summary>"claim_refused: the claim code is wrong or the device is unknown" — the code first, for grep.</summary>
    public override string ToString() => Code is null ? Message : $"{Code}: {Message}";

    public static ApiProblem From(HttpStatusCode status, JsonElement? body, TimeSpan? retryAfter)
    {
        var code = Text(body, "code");
        var message = Text(body, "detail") ?? Text(body, "title") ?? Text(body, "message")
            ?? $"HTTP {((int)status).ToString(CultureInfo.InvariantCulture)} {status}";
        return new ApiProblem(status, code, message, retryAfter);
    }

    /// <summary>A problem object inside a batch result (<c>error</c>), which carries no headers.</summary>
    public static ApiProblem FromItem(JsonElement error)
    {
        var status = error.TryGetProperty("status", out var value) && value.TryGetInt32(out var number) ? (HttpStatusCode)number : HttpStatusCode.BadRequest;
        TimeSpan? retryAfter = error.TryGetProperty("retryAfter", out var seconds) && seconds.TryGetInt32(out var s) ? TimeSpan.FromSeconds(s) : null;
        return From(status, error, retryAfter);
    }

    private static string? Text(JsonElement? body, string name) =>
        body is { ValueKind: JsonValueKind.Object } element && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>The server answered, and its answer was a refusal (after any retries).</summary>
internal sealed class ApiProblemException(ApiProblem problem) : Exception(problem.ToString())
{
    public ApiProblem Problem { get; } = problem;
}

/// <summary>The server could not be reached, or kept failing transiently, through every retry.</summary>
internal sealed class ServerUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
