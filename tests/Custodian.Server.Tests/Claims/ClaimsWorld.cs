using System.Net;
using System.Text.Json;

namespace Custodian.Server.Tests.Claims;

/// <summary>A provisioned device as its maker received it: EUIs, claim code and QR text.</summary>
public sealed record ProvisionedClaim(string DevEui, string JoinEui, string ClaimCode, string Qr);

/// <summary>Set-up for the claim API tests through the REST API itself: makers, owners, networks, devices.</summary>
public static class ClaimsWorld
{
    public const string JoinEui = "70B3D57ED0000000";
    public static readonly string[] MakerRights = ["devices:provision", "devices:read", "events:read"];
    public static readonly string[] OwnerRights = ["devices:claim", "devices:read", "devices:unclaim", "events:read"];
    private static long _nextDevEui = 0x00C0_0000_0000_0001;

    /// <summary>A fresh DevEUI for this test process (they share servers).</summary>
    public static string NextDevEui() => new DevEui((ulong)Interlocked.Increment(ref _nextDevEui)).ToString();

    /// <summary>Provisions <paramref name="count"/> unclaimed devices in one batch call; returns their codes.</summary>
    public static async Task<IReadOnlyList<ProvisionedClaim>> ProvisionAsync(this HttpClient maker, int count = 1, string joinEui = JoinEui)
    {
        var devices = Enumerable.Range(0, count).Select(_ => new { joinEui, devEui = NextDevEui(), macVersion = "1.0.3" }).ToList();
        var (status, body) = await maker.PostAsync("/api/v1/devices/batch", new { devices });
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Should().OnlyContain(r => r.Text("status") == "created", body.ToString());
        return [.. results.Select(r => new ProvisionedClaim(r.Text("devEui")!, r.Text("joinEui")!, r.Text("claimCode")!, r.Text("qr")!))];
    }

    public static async Task<ProvisionedClaim> ProvisionOneAsync(this HttpClient maker) => (await maker.ProvisionAsync())[0];

    public static object Claim(ProvisionedClaim device, string homeNetId, string? code = null, string? asId = null) =>
        new { joinEui = device.JoinEui, devEui = device.DevEui, claimCode = code ?? device.ClaimCode, homeNetId, asId };

    public static Task<(HttpStatusCode Status, JsonElement Body)> ClaimAsync(this HttpClient owner, ProvisionedClaim device, string homeNetId, string? code = null, string? asId = null) =>
        owner.PostAsync("/api/v1/claims", Claim(device, homeNetId, code, asId));

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>The caller's audit events (newest first), optionally for one device.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EventsAsync(this HttpClient client, string? devEui = null)
    {
        var (status, body) = await client.GetJsonAsync("/api/v1/events?limit=1000" + (devEui is null ? "" : "&devEui=" + devEui));
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("events").EnumerateArray()];
    }

    public static async Task<string> MetricsAsync(this TestServer server)
    {
        using var response = await server.Client().GetAsync("/metrics", TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The Retry-After header in seconds.</summary>
    public static long RetryAfterSeconds(this HttpResponseMessage response)
    {
        response.Headers.RetryAfter.Should().NotBeNull("a 429 says when to retry");
        return (long)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
    }
}
