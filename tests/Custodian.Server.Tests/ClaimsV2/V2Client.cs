using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.ClaimsV2;

/// <summary>The v2 claim API as The Things Stack's Device Claiming Server calls it: JSON built by hand with TTJS's field names.</summary>
public static class V2Client
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<V2Answer> PutClaimAsync(this HttpClient client, DevEui devEui, string ownerToken, string homeNetId, string? homeNsId = null, bool? locked = true) =>
        SendAsync(client, HttpMethod.Put, $"/api/v2/devices/{devEui}/claim", JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ownerToken"] = ownerToken,
            ["homeNetID"] = homeNetId,
            ["homeNSID"] = homeNsId,
            ["lock"] = locked,
        }));

    public static Task<V2Answer> GetClaimAsync(this HttpClient client, DevEui devEui) =>
        SendAsync(client, HttpMethod.Get, $"/api/v2/devices/{devEui}/claim", null);

    public static Task<V2Answer> DeleteClaimAsync(this HttpClient client, DevEui devEui, string query = "") =>
        SendAsync(client, HttpMethod.Delete, $"/api/v2/devices/{devEui}/claim{query}", null);

    public static Task<V2Answer> DeleteClaimsAsync(this HttpClient client, params string[] devEuis) =>
        SendAsync(client, HttpMethod.Delete, $"/api/v2/devices/{string.Join(',', devEuis)}/claims", null);

    public static async Task<V2Answer> SendAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return new V2Answer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Provisions an unclaimed device as the host's maker; returns it with its claim code and QR text.</summary>
    public static async Task<ProvisionedDevice> ProvisionUnclaimedAsync(this HttpClient maker, DevEui devEui, JoinEui joinEui)
    {
        using var response = await maker.PostAsJsonAsync("/api/v1/devices", new
        {
            joinEui = joinEui.ToString(),
            devEui = devEui.ToString(),
            macVersion = "1.0.3",
            appKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Created, body.ToString());
        return new ProvisionedDevice(devEui, joinEui, body.GetProperty("claimCode").GetString()!, body.GetProperty("qr").GetString()!);
    }

    /// <summary>Registers a network on the host's server unless it is registered.</summary>
    public static async Task EnsureNetworkAsync(this JoinServerHost host, NetId netId, string? nsId = null)
    {
        using var response = await host.Server.Admin.PostAsJsonAsync("/api/v1/networks", new { netId = netId.ToString(), nsId }, Ct);
        response.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
    }
}

/// <summary>A v2 answer: status, JSON body (default when empty), Retry-After.</summary>
public sealed record V2Answer(HttpStatusCode Status, JsonElement Body, TimeSpan? RetryAfter)
{
    public string? Message => Body.ValueKind == JsonValueKind.Object ? Body.Text("message") : null;

    public void ShouldBe(HttpStatusCode status, string? message = null)
    {
        Status.Should().Be(status, Body.ToString());
        if (message is not null)
        {
            Message.Should().Be(message);
        }
    }
}

public sealed record ProvisionedDevice(DevEui DevEui, JoinEui JoinEui, string ClaimCode, string Qr);
