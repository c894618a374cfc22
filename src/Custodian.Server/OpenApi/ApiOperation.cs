namespace Custodian.Server.OpenApi;

/// <summary>
/// What the OpenAPI document says of one route: a one-line summary, the JSON body it
/// reads and answers (when they have a type of their own), and the error statuses it can answer besides the ones
/// every authenticated route has. <see cref="Path"/> is the route pattern as the document writes it.
/// </summary>
internal sealed record ApiOperation(string Method, string Path, string Summary)
{
    /// <summary>Whether the route takes an API key (or, for Backend Interfaces, a peer's credential).</summary>
    public bool Authenticated { get; init; } = true;

    public Type? Request { get; init; }

    /// <summary>The request's media type when it is not JSON (a claim file).</summary>
    public string? RequestMediaType { get; init; }

    public int SuccessStatus { get; init; } = 200;

    public Type? Response { get; init; }

    /// <summary>The answer's media type when it is not JSON (labels, NDJSON progress, metrics).</summary>
    public string? ResponseMediaType { get; init; }

    /// <summary>Error statuses this route answers with a problem (v1) or a v2 error body.</summary>
    public IReadOnlyList<int> Errors { get; init; } = [];

    public string Key => KeyOf(Method, Path);

    public static string KeyOf(string method, string path) => $"{method.ToUpperInvariant()} {Normalize(path)}";

    /// <summary>One spelling for a pattern: a leading slash, no trailing one, parameter constraints dropped.</summary>
    public static string Normalize(string path)
    {
        var trimmed = "/" + path.Trim('/');
        return System.Text.RegularExpressions.Regex.Replace(trimmed, "{([^}:]+)(:[^}]*)?}", "{$1}");
    }
}
