using System.Globalization;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Microsoft.OpenApi;

namespace Custodian.Server.OpenApi;

/// <summary>Writes one <see cref="ApiOperation"/> into an OpenAPI operation: summary, who may call it, bodies, answers.</summary>
internal static class ContractOperation
{
    private const string ProblemJson = "application/problem+json";

    public delegate Task<OpenApiSchema> SchemaFor(Type type, CancellationToken cancellationToken);

    public static async Task DescribeAsync(OpenApiOperation operation, ApiOperation entry, RequiredRight? right, SchemaFor schemaFor, CancellationToken cancellationToken)
    {
        Describe(operation, entry, right);
        if (entry.Request is { } request)
        {
            operation.RequestBody = Body(entry.RequestMediaType, await schemaFor(request, cancellationToken));
        }
        else if (entry.RequestMediaType is { } mediaType)
        {
            operation.RequestBody = Body(mediaType, Text());
        }
        var success = entry.Response is { } response ? await schemaFor(response, cancellationToken) : ResponseMediaSchema(entry);
        operation.Responses![Status(entry.SuccessStatus)] = Answer(SuccessDescription(entry), entry.ResponseMediaType, success);
        var error = await schemaFor(ApiContract.ErrorBody(entry.Path), cancellationToken);
        foreach (var status in ErrorStatuses(entry, right))
        {
            operation.Responses[Status(status)] = Answer(ErrorDescription(status), ErrorMediaType(entry), error);
        }
    }

    /// <summary>For routes the generator does not see (Backend Interfaces): the same text, bodies as plain objects.</summary>
    public static void DescribeWithoutSchemas(OpenApiOperation operation, ApiOperation entry)
    {
        Describe(operation, entry, right: null);
        var message = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "A Backend Interfaces message with the specification's field names (TS002)." };
        operation.RequestBody = Body(entry.RequestMediaType, message);
        operation.Responses![Status(entry.SuccessStatus)] = Answer("The answer message; Result.ResultCode says how the request went.", entry.ResponseMediaType, message);
        foreach (var status in entry.Errors)
        {
            operation.Responses[Status(status)] = Answer(ErrorDescription(status), ProblemJson, new OpenApiSchema { Type = JsonSchemaType.Object });
        }
    }

    private static void Describe(OpenApiOperation operation, ApiOperation entry, RequiredRight? right)
    {
        operation.Summary = entry.Summary;
        operation.Description = right is not null
            ? $"Needs an API key with the right '{string.Join("', '", right.Right.ToNames())}'."
            : entry.Authenticated ? "Needs an API key (any right) or, for Backend Interfaces, a peer's token or client certificate." : "No authentication.";
        operation.Responses ??= [];
        operation.Responses.Clear();
    }

    private static IEnumerable<int> ErrorStatuses(ApiOperation entry, RequiredRight? right)
    {
        IEnumerable<int> statuses = entry.Errors;
        if (entry.Authenticated)
        {
            statuses = statuses.Append(401);
        }
        if (right is not null)
        {
            statuses = statuses.Append(403);
        }
        return statuses.Append(503).Distinct().Order();
    }

    private static OpenApiRequestBody Body(string? mediaType, IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { [ApiContract.MediaType(mediaType)] = new() { Schema = schema } },
    };

    private static OpenApiResponse Answer(string description, string? mediaType, IOpenApiSchema? schema) => new()
    {
        Description = description,
        Content = schema is null ? null : new Dictionary<string, OpenApiMediaType> { [ApiContract.MediaType(mediaType)] = new() { Schema = schema } },
    };

    private static OpenApiSchema? ResponseMediaSchema(ApiOperation entry) => entry.ResponseMediaType switch
    {
        null => null,
        "image/png" or "image/*" or "application/vnd.sqlite3" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
        _ => Text(),
    };

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    private static string ErrorMediaType(ApiOperation entry) =>
        ApiContract.ErrorBody(entry.Path) == typeof(Claims.Routing.V2Error) ? "application/json" : ProblemJson;

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);

    private static string SuccessDescription(ApiOperation entry) => entry.SuccessStatus switch
    {
        201 => "Created.",
        204 => "Done; no body.",
        _ => "OK.",
    };

    private static string ErrorDescription(int status) => status switch
    {
        400 => "The request is malformed; the problem names the field.",
        401 => "No valid credential was presented.",
        403 => "The credential lacks the right (or, in v2, the owner token is wrong).",
        404 => "No such resource for this caller.",
        409 => "It conflicts with what is stored.",
        413 => "The body is too large.",
        429 => "Too many requests or wrong codes; Retry-After says when to try again.",
        503 => "The store is unavailable for a moment; retry later.",
        _ => "An error.",
    };
}
