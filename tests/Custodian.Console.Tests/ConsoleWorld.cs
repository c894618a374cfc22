using System.Net.Http.Json;
using System.Text.Json;
using Custodian.Cli.Tests;
using Custodian.Server.Tests;

namespace Custodian.Console.Tests;

/// <summary>
/// A server with what the console's user finds there: the home network <see cref="ClaimWorld.HomeNetId"/> registered,
/// a maker tenant <c>acme</c> and an owner tenant <c>farm</c> with their keys, and a temporary directory for files.
/// </summary>
internal sealed class ConsoleWorld : IAsyncDisposable
{
    private ConsoleWorld(TestServer server, string makerKey, string ownerKey)
    {
        Server = server;
        MakerKey = makerKey;
        OwnerKey = ownerKey;
        Directory = System.IO.Directory.CreateTempSubdirectory("custodian-console-").FullName;
    }

    public TestServer Server { get; }

    public string MakerKey { get; }

    public string OwnerKey { get; }

    /// <summary>A temporary directory, deleted with the world (camera videos, photos, claim files, downloads).</summary>
    public string Directory { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ConsoleWorld> StartAsync(
        IDictionary<string, string?>? configuration = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        var server = await TestServer.StartAsync(configuration, configureServices);
        await server.NetworkAsync(ClaimWorld.HomeNetId);
        var makerKey = await server.KeyAsync("acme", [.. ClaimWorld.MakerRights, "devices:claim", "devices:unclaim"]);
        await server.AssignBlocksAsync("acme", "0000000000000000/0"); // the console's maker provisions from the browser
        var ownerKey = await server.KeyAsync("farm", ClaimWorld.OwnerRights);
        return new ConsoleWorld(server, makerKey, ownerKey);
    }

    public Task<IReadOnlyList<MadeDevice>> ProvisionAsync(params string[] devEuis) => Server.ProvisionAsync(MakerKey, devEuis);

    /// <summary>Claims <paramref name="devices"/> for <paramref name="key"/> (the owner's by default) in one batch, at the home network.</summary>
    public async Task ClaimAllAsync(IEnumerable<MadeDevice> devices, string? key = null)
    {
        using var client = Server.Client(key ?? OwnerKey);
        var claims = devices.Select(d => new { joinEui = d.JoinEui, devEui = d.DevEui, claimCode = d.ClaimCode, homeNetId = ClaimWorld.HomeNetId });
        using var response = await client.PostAsJsonAsync("/api/v1/claims/batch", new { claims }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.EnsureSuccessStatusCode();
        body.GetProperty("results").EnumerateArray().Should().OnlyContain(r => r.GetProperty("status").GetString() == "claimed", body.ToString());
    }

    /// <summary>The owner's claim of <paramref name="devEui"/> as the API answers it, or null when it has none.</summary>
    public async Task<JsonElement?> ClaimOfAsync(string devEui, string? key = null)
    {
        using var client = Server.Client(key ?? OwnerKey);
        using var response = await client.GetAsync($"/api/v1/claims/{devEui}", Ct);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(Ct) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
