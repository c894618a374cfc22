using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Custodian.Server.OpenApi;

namespace Custodian.Server.Tests.OpenApi;

/// <summary>
/// The published contract, <c>/openapi/v1.json</c>: every route the server maps is in it with a summary and its
/// answers, and every call the CLI and the web console make names a route and method it has.
/// </summary>
public sealed partial class OpenApiDocumentTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_mapped_route_is_in_the_document_with_a_summary_and_its_answers()
    {
        var document = await DocumentAsync();
        var missing = new List<string>();
        foreach (var (method, path) in MappedRoutes.Of(server.Server.Services))
        {
            var operation = Operation(document, method, path);
            if (operation is null)
            {
                missing.Add($"{method} {path}: not in the document (add it to OpenApi/ApiContract.cs)");
                continue;
            }
            if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                missing.Add($"{method} {path}: no summary");
            }
            if (!operation.Value.TryGetProperty("responses", out var responses) || !responses.EnumerateObject().Any())
            {
                missing.Add($"{method} {path}: no answers");
            }
        }
        missing.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_table_entry_is_a_mapped_route()
    {
        var mapped = MappedRoutes.Of(server.Server.Services).Select(route => ApiOperation.KeyOf(route.Method, route.Path)).ToHashSet();

        ApiContract.Operations.Select(operation => operation.Key).Where(key => !mapped.Contains(key))
            .Should().BeEmpty("the contract lists only routes the server serves");
        (await DocumentAsync()).GetProperty("openapi").GetString().Should().StartWith("3.");
    }

    [Fact]
    public async Task Error_answers_are_typed_problems_and_rights_are_stated()
    {
        var document = await DocumentAsync();

        var claim = Operation(document, "POST", "/api/v1/claims")!.Value;
        claim.GetProperty("description").GetString().Should().Contain("devices:claim");
        var locked = claim.GetProperty("responses").GetProperty("429").GetProperty("content").GetProperty("application/problem+json");
        locked.GetProperty("schema").GetProperty("properties").TryGetProperty("detail", out _).Should().BeTrue("errors are RFC 7807 problems");
        claim.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("properties").GetProperty("claimedAt").GetProperty("format").GetString().Should().Be("date-time");

        var v2 = Operation(document, "PUT", "/api/v2/devices/{devEui}/claim")!.Value;
        v2.GetProperty("responses").GetProperty("403").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("properties").TryGetProperty("message", out _).Should().BeTrue("v2 errors are {message, code}");
        Operation(document, "POST", "/backend-interfaces")!.Value.GetProperty("summary").GetString().Should().Contain("JoinReq");
    }

    [Fact]
    public async Task The_document_needs_no_key()
    {
        using var client = new HttpClient { BaseAddress = server.Server.BaseAddress };

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
    }

    [Fact]
    public async Task Every_call_the_console_makes_is_in_the_document()
    {
        var document = await DocumentAsync();
        var scripts = Directory.GetFiles(Path.Combine(LoraPacketDevice.RepositoryRoot, "src/Custodian.Server/wwwroot/js"), "*.js");
        var calls = scripts.SelectMany(file => ConsoleCall().Matches(File.ReadAllText(file))
            .Select(match => (Method: match.Groups["method"].Value, Path: "/api/v1" + match.Groups["path"].Value, File: Path.GetFileName(file)))).ToList();

        calls.Should().HaveCountGreaterThan(5, "the console's calls are found in its scripts");
        calls.Where(call => !Documents(document, call.Method, call.Path))
            .Select(call => $"{call.File}: {call.Method} {call.Path}").Should().BeEmpty();
    }

    [Fact]
    public async Task Every_call_the_cli_makes_is_in_the_document()
    {
        var document = await DocumentAsync();
        var sources = Directory.GetFiles(Path.Combine(LoraPacketDevice.RepositoryRoot, "src/Custodian.Cli"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal));
        var calls = new List<(string? Method, string Path, string Where)>();
        foreach (var file in sources)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in CliPath().Matches(lines[i]))
                {
                    calls.Add((CliMethod(lines[i]), "/" + match.Groups["path"].Value, $"{Path.GetFileName(file)}:{i + 1}"));
                }
            }
        }

        calls.Should().HaveCountGreaterThan(10, "the CLI's calls are found in its sources");
        calls.Where(call => !Documents(document, call.Method, call.Path))
            .Select(call => $"{call.Where}: {call.Method} {call.Path}").Should().BeEmpty();
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var text = await server.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static JsonElement? Operation(JsonElement document, string method, string path)
    {
        foreach (var item in document.GetProperty("paths").EnumerateObject())
        {
            if (ApiOperation.Normalize(item.Name) == ApiOperation.Normalize(path) && item.Value.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                return operation;
            }
        }
        return null;
    }

    /// <summary>Whether some documented route of <paramref name="method"/> (any, when null) matches a path whose segments may be parameters.</summary>
    private static bool Documents(JsonElement document, string? method, string path)
    {
        var wanted = Segments(path);
        return document.GetProperty("paths").EnumerateObject().Any(item =>
            SegmentsMatch(Segments(item.Name), wanted)
            && (method is null ? Methods.Any(m => item.Value.TryGetProperty(m, out _)) : item.Value.TryGetProperty(method.ToLowerInvariant(), out _)));
    }

    private static string[] Segments(string path) => ApiOperation.Normalize(path.Split('?')[0]).Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool SegmentsMatch(string[] documented, string[] called) =>
        documented.Length == called.Length
        && documented.Zip(called).All(pair => pair.First == pair.Second || IsParameter(pair.First) || IsParameter(pair.Second));

    // A route parameter ({devEui}), or a value the caller fills in (${devEui} in JavaScript, {devEui} in C#), which may
    // also fill only part of a segment (label.svg after a DevEUI is a segment of its own).
    private static bool IsParameter(string segment) => segment.Contains('{', StringComparison.Ordinal);

    /// <summary>The HTTP method of the CLI call on a line; null (any) for a path held in a constant or helper.</summary>
    private static string? CliMethod(string line) =>
        CliCall().Match(line) is { Success: true } call ? call.Groups["verb"].Value.ToUpperInvariant()
        : line.Contains("ReadAllAsync", StringComparison.Ordinal) || line.Contains("ListCommand(", StringComparison.Ordinal) ? "GET"
        : null;

    [GeneratedRegex("""(?:request|send)\(\s*"(?<method>GET|POST|PUT|PATCH|DELETE)",\s*[`"'](?<path>/[^`"'?]*)""")]
    private static partial Regex ConsoleCall();

    [GeneratedRegex("""\$?"(?<path>api/v[12]/[^"?]*)""")]
    private static partial Regex CliPath();

    [GeneratedRegex("""\.(?<verb>Get|Post|Put|Patch|Delete)Async\(""")]
    private static partial Regex CliCall();
}
