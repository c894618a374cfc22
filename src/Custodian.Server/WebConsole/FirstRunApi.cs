using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.WebConsole;

/// <summary>
/// <c>GET /console/first-run</c>, without a key: what the sign-in page tells someone who has just started the server.
/// While the generated <c>admin-key.txt</c> is still in the data directory it says where (never the key itself);
/// once the operator has moved it away, or set <c>Custodian:AdminKey</c>, it says nothing more.
/// </summary>
internal static class FirstRunApi
{
    public sealed record FirstRunResponse(string? AdminKeyFile);

    public static void MapFirstRun(this IEndpointRouteBuilder app) =>
        app.MapGet("/console/first-run", (IOptions<CustodianOptions> options) =>
        {
            var path = Path.GetFullPath(options.Value.AdminKeyPath);
            var shown = string.IsNullOrEmpty(options.Value.AdminKey) && File.Exists(path) ? path : null;
            return TypedResults.Ok(new FirstRunResponse(shown));
        });
}
