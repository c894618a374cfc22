using System.Net.Http.Json;
using System.Text.Json;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary>A provisioned device as its maker received it.</summary>
internal sealed record MadeDevice(string DevEui, string JoinEui, string ClaimCode, string Qr);

/// <summary>
/// Set-up through the server's REST API, as a maker and an owner would do it without the CLI: tenants with keys,
/// provisioned devices and claims. Each test starts its own server, so names need not be unique across tests.
/// </summary>
internal static class ClaimWorld
{
    public const string JoinEui = "70B3D57ED0000000";
    public const string HomeNetId = "00001D";
    public static readonly string[] MakerRights = ["devices:provision", "devices:read"];
    public static readonly string[] OwnerRights = ["devices:claim", "devices:read", "devices:unclaim"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tenant <paramref name="tenantId"/> and an API key for it with <paramref name="rights"/>.</summary>
    public static async Task<string> KeyAsync(this TestServer server, string tenantId, string[] rights)
    {
        using var tenant = await server.Admin.PostAsJsonAsync("/api/v1/tenants", new { id = tenantId, name = tenantId }, Ct);
        tenant.EnsureSuccessStatusCode();
        return await server.ApiKeyAsync(tenantId, rights);
    }

    public static async Task<IReadOnlyList<MadeDevice>> ProvisionAsync(this TestServer server, string makerKey, params string[] devEuis)
    {
        using var maker = server.Client(makerKey);
        var devices = devEuis.Select(devEui => new { joinEui = JoinEui, devEui, macVersion = "1.0.3" }).ToList();
        using var response = await maker.PostAsJsonAsync("/api/v1/devices/batch", new { devices }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.EnsureSuccessStatusCode();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Should().OnlyContain(r => r.GetProperty("status").GetString() == "created", body.ToString());
        return [.. results.Select(r => new MadeDevice(Text(r, "devEui"), Text(r, "joinEui"), Text(r, "claimCode"), Text(r, "qr")))];
    }

    /// <summary>Claims with the device's EUIs and <paramref name="claimCode"/>; returns the HTTP status.</summary>
    public static async Task<System.Net.HttpStatusCode> ClaimAsync(this TestServer server, string ownerKey, MadeDevice device, string claimCode, string homeNetId = HomeNetId)
    {
        using var owner = server.Client(ownerKey);
        using var response = await owner.PostAsJsonAsync(
            "/api/v1/claims", new { joinEui = device.JoinEui, devEui = device.DevEui, claimCode, homeNetId }, Ct);
        return response.StatusCode;
    }

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
