using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Custodian.Server.Tests;

/// <summary>Short HTTP helpers for the API tests: JSON in, JSON out, problem details checked.</summary>
public static class Http
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Ct);
        return (response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content, Ct);
        return (response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>Asserts a problem+json answer with this status and code; returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var body = await ReadAsync(response);
        body.ShouldBeProblem(status, code);
        return body;
    }

    public static void ShouldBeProblem(this JsonElement body, HttpStatusCode status, string code)
    {
        body.GetProperty("status").GetInt32().Should().Be((int)status, body.ToString());
        body.GetProperty("code").GetString().Should().Be(code, body.ToString());
        body.GetProperty("type").GetString().Should().Be("https://custodian.dev/problems/" + code);
        body.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        body.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString()!;

    public static string? Text(this JsonElement body, string property) =>
        body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
