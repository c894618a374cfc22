using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Custodian.Core.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests.Fuzz;

/// <summary>
/// Sends mutated requests (<see cref="RequestMutator"/>) to every endpoint the running server maps (read from its
/// <see cref="EndpointDataSource"/>, so a new endpoint is covered without touching this test), as an anonymous
/// caller, the admin, a tenant key with every right and a network's Backend Interfaces token, and asserts that none
/// is answered with a 5xx. CUSTODIAN_FUZZ_SEED replays a run; the seed and each failing request are in the message.
/// </summary>
public sealed class HttpFuzzTests
{
    private const int RequestsPerEndpointAndCaller = 25;
    private const string DevEui = "00000000000F0001";
    private const string JoinEui = "70B3D57ED0000000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mutated_requests_to_every_endpoint_are_never_answered_with_a_5xx()
    {
        var seed = Environment.GetEnvironmentVariable("CUSTODIAN_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var mutator = new RequestMutator(new Random(seed));
        await using var server = await TestServer.StartAsync();
        var callers = await CallersAsync(server);
        var endpoints = Endpoints(server);
        endpoints.Should().Contain(e => e.Pattern.RawText == "/backend-interfaces", "the endpoint list comes from the running server");

        var failures = new List<string>();
        var sent = 0;
        foreach (var (pattern, method) in endpoints)
        {
            foreach (var (caller, client) in callers)
            {
                for (var i = 0; i < RequestsPerEndpointAndCaller; i++)
                {
                    sent++;
                    if (await SendAsync(client, mutator, pattern, method) is { } failure)
                    {
                        failures.Add($"{method} {pattern.RawText} as {caller}: {failure}");
                    }
                }
            }
        }

        failures.Should().BeEmpty(
            $"no request may get a 5xx (CUSTODIAN_FUZZ_SEED={seed}, {sent} requests to {endpoints.Count} endpoints); failing: "
            + string.Join(", ", failures.Select(f => f[..f.IndexOf(" as ", StringComparison.Ordinal)]).Distinct()) + "; the first ones:\n"
            + string.Join("\n\n", failures.Take(10)) + "\nserver log of the unhandled exceptions:\n"
            + string.Join("\n", server.Logs.Lines.Where(l => l.Contains("Unhandled", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception:", StringComparison.Ordinal)).Take(3)));
    }

    /// <summary>Every (route, HTTP method) the server maps.</summary>
    private static List<(RoutePattern Pattern, string Method)> Endpoints(TestServer server) =>
    [
        .. server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get]).Select(m => (e.RoutePattern, m)))
            .Distinct()
            .OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(e => e.m, StringComparer.Ordinal),
    ];

    /// <summary>The four kinds of caller, with real state behind them: a tenant, a provisioned device, a network.</summary>
    private static async Task<List<(string Name, HttpClient Client)>> CallersAsync(TestServer server)
    {
        var tenant = await server.TenantAsync("fuzz", [.. ApiRightNames.All.Where(r => r != "admin")]);
        using (var provisioned = await tenant.PostAsJsonAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = DevEui, macVersion = "1.0.3", claimCode = "FUZZ0001" }, Ct))
        {
            provisioned.EnsureSuccessStatusCode();
        }
        var network = server.Client(await server.NetworkAsync("000013"));
        return [("anonymous", server.Client()), ("admin", server.Admin), ("tenant", tenant), ("network", network)];
    }

    /// <summary>Sends one mutated request; returns a description of it when it was answered with a 5xx.</summary>
    private static async Task<string?> SendAsync(HttpClient client, RequestMutator mutator, RoutePattern pattern, string method)
    {
        var path = Path(pattern, mutator) + mutator.Query();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var body = method is "GET" or "HEAD" ? null : mutator.Body();
        var contentType = mutator.ContentType();
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType.Length > 0)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request, Ct);
        if ((int)response.StatusCode < 500)
        {
            return null;
        }
        var answer = await response.Content.ReadAsStringAsync(Ct);
        return $"{method} {path} ({contentType}) → {(int)response.StatusCode}: {answer}\nbody: {(body is null ? "(none)" : RequestMutator.Describe(body))}";
    }

    /// <summary>The route with each parameter filled in: a value that exists (the device, the tenant) or a hostile one.</summary>
    private static string Path(RoutePattern pattern, RequestMutator mutator)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => Uri.EscapeDataString(mutator.Value(GoodValue(parameter.Name))),
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }

    private static string? GoodValue(string parameter) => parameter switch
    {
        "devEui" => DevEui,
        "devEuis" => DevEui + ",00000000000F0002",
        "joinEui" => JoinEui,
        "id" => "fuzz",
        _ => null,
    };
}
