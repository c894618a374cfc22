using System.Globalization;
using System.Text.Json;

namespace Custodian.Cli.Api;

/// <summary>
/// Reads a paged list (<c>GET path?after=&amp;limit=</c> answering <c>{items: [...], next}</c>) to its end, or to
/// a cap: each page starts after the previous page's <c>next</c>, so items added meanwhile are not read twice.
/// </summary>
internal static class Pages
{
    /// <summary>The server's largest page: fewer requests for long lists.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Every item, or the first <paramref name="cap"/>; <c>More</c> says the server had a next page when the cap
    /// was reached (there may be more items).
    /// </summary>
    public static async Task<(IReadOnlyList<JsonElement> Items, bool More)> ReadAllAsync(
        CustodianClient client, string path, string itemsName, int? cap, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        string? after = null;
        do
        {
            var pageSize = Math.Min(MaxPageSize, cap is { } most ? most - items.Count : MaxPageSize);
            if (pageSize <= 0)
            {
                break;
            }
            var query = $"{path}?limit={pageSize.ToString(CultureInfo.InvariantCulture)}" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            var page = await client.GetAsync(query, cancellationToken) ?? throw Unexpected(path, "no body");
            if (!page.TryGetProperty(itemsName, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                throw Unexpected(path, $"no '{itemsName}' array");
            }
            items.AddRange(array.EnumerateArray().Select(item => item.Clone()));
            after = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (after is not null);
        return (items, after is not null);
    }

    /// <summary>An unpaged list (<c>GET path</c> answering <c>{items: [...]}</c>).</summary>
    public static async Task<IReadOnlyList<JsonElement>> ReadOneAsync(CustodianClient client, string path, string itemsName, CancellationToken cancellationToken)
    {
        var answer = await client.GetAsync(path, cancellationToken) ?? throw Unexpected(path, "no body");
        return answer.TryGetProperty(itemsName, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(item => item.Clone())]
            : throw Unexpected(path, $"no '{itemsName}' array");
    }

    // An older server without the endpoint answers 404 (a problem); a body of another shape means a proxy or a wrong URL.
    private static ApiProblemException Unexpected(string path, string what) =>
        new(new ApiProblem(System.Net.HttpStatusCode.OK, "unexpected_answer", $"GET {path} answered with {what}; is --server a Custodian server?", null));
}
