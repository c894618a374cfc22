using Microsoft.OpenApi;

namespace Custodian.Server.OpenApi;

/// <summary>The (method, route pattern) pairs the application maps, and whether a document has each.</summary>
internal static class MappedRoutes
{
    /// <summary>Every method and pattern of the mapped endpoints, the OpenAPI document's own route excepted.</summary>
    public static IReadOnlyList<(string Method, string Path)> Of(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText is { } pattern && !pattern.StartsWith("/openapi/", StringComparison.Ordinal))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => (method, endpoint.RoutePattern.RawText!)))
            .Distinct(),
    ];

    public static bool IsDocumented(OpenApiDocument document, string method, string path) =>
        document.Paths is { } paths
        && paths.Any(pair => ApiOperation.Normalize(pair.Key) == ApiOperation.Normalize(path)
            && pair.Value.Operations?.ContainsKey(HttpMethod.Parse(method)) == true);
}
