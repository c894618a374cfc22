using Custodian.Server.Auth;
using Microsoft.OpenApi;

namespace Custodian.Server.OpenApi;

/// <summary>
/// The published contract: <c>GET /openapi/v1.json</c>, built by ASP.NET Core's OpenAPI generator from the mapped
/// routes and completed from <see cref="ApiContract"/> (summaries, rights, bodies, error answers). Routes the
/// generator cannot see (Backend Interfaces is a raw request delegate) are added from the same table.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddCustodianOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = "Custodian";
                document.Info.Description = "A LoRaWAN Join Server for device claiming: the REST API v1 (API keys as bearer tokens), "
                    + "The Things Join Server's v2 claim API, and LoRaWAN Backend Interfaces.";
                AddUnseenRoutes(document, context.ApplicationServices);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var description = context.Description;
                if (ApiContract.Find(description.HttpMethod ?? "", description.RelativePath ?? "") is not { } entry)
                {
                    return; // the contract tests name every route the table lacks
                }
                var right = description.ActionDescriptor.EndpointMetadata.OfType<RequiredRight>().FirstOrDefault();
                await ContractOperation.DescribeAsync(operation, entry, right, (type, cancel) => context.GetOrCreateSchemaAsync(type, null, cancel), cancellationToken);
            });
        });

    public static void MapCustodianOpenApi(this WebApplication app) => app.MapOpenApi("/openapi/{documentName}.json");

    /// <summary>Routes mapped as raw request delegates carry no handler for the generator: add them from the table.</summary>
    private static void AddUnseenRoutes(OpenApiDocument document, IServiceProvider services)
    {
        document.Paths ??= [];
        foreach (var (method, path) in MappedRoutes.Of(services))
        {
            if (MappedRoutes.IsDocumented(document, method, path) || ApiContract.Find(method, path) is not { } entry)
            {
                continue;
            }
            var key = ApiOperation.Normalize(path);
            if (!document.Paths.TryGetValue(key, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[key] = item;
            }
            var operation = new OpenApiOperation();
            ContractOperation.DescribeWithoutSchemas(operation, entry);
            ((OpenApiPathItem)item).AddOperation(HttpMethod.Parse(method), operation);
        }
    }
}
