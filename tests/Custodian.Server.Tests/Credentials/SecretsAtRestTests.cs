using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Custodian.Server.Tests.Credentials;

/// <summary>File modes of the data directory and the database, and <c>Cache-Control: no-store</c> on answers that carry secrets.</summary>
public sealed class SecretsAtRestTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_directory_is_created_0700_and_the_database_files_are_0600()
    {
        var parent = Directory.CreateTempSubdirectory("custodian-modes-").FullName;
        try
        {
            var data = Path.Combine(parent, "data");
            await using (var server = await TestServer.StartAsync(dataDirectory: data))
            {
                await server.TenantAsync("modes", "devices:read"); // a write: the -wal and -shm files exist

                File.GetUnixFileMode(data).Should().Be(OwnerOnlyDirectory);
                foreach (var name in new[] { "custodian.db", "custodian.db-wal", "custodian.db-shm", "kek.txt", "admin-key.txt" })
                {
                    File.GetUnixFileMode(Path.Combine(data, name)).Should().Be(OwnerOnlyFile, name);
                }
            }
            // An existing database (from before this check) is made 0600 at the next start.
            File.SetUnixFileMode(Path.Combine(data, "custodian.db"), OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await using (await TestServer.StartAsync(dataDirectory: data))
            {
                File.GetUnixFileMode(Path.Combine(data, "custodian.db")).Should().Be(OwnerOnlyFile);
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task Every_answer_that_carries_a_secret_says_no_store()
    {
        await using var server = await TestServer.StartAsync();
        var maker = await server.TenantAsync("nostore-maker", "devices:provision", "devices:read");
        var owner = await server.TenantAsync("nostore-owner", "devices:claim", "devices:unclaim", "devices:read");
        await server.NetworkAsync("0000D1");
        const string devEui = "00000000000D0001";

        using var apiKey = await server.Admin.PostAsJsonAsync("/api/v1/tenants/nostore-maker/api-keys", new { name = "k", rights = new[] { "devices:read" } }, Ct);
        using var network = await server.Admin.PostAsJsonAsync("/api/v1/networks", new { netId = "0000D2" }, Ct);
        using var provisioned = await maker.PostAsJsonAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui, macVersion = "1.0.3" }, Ct);
        var code = (await provisioned.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("claimCode").GetString()!;
        using var device = await maker.GetAsync($"/api/v1/devices/{devEui}", Ct);
        using var label = await maker.GetAsync($"/api/v1/devices/{devEui}/label.svg", Ct);
        using var claimed = await owner.PostAsJsonAsync("/api/v1/claims", new { joinEui = "70B3D57ED0000000", devEui, claimCode = code, homeNetId = "0000D1" }, Ct);
        using var unclaimed = await owner.DeleteAsync($"/api/v1/claims/{devEui}?newClaimCode=true", Ct);
        using var refused = await server.Client().GetAsync("/api/v1/tenants", Ct);

        foreach (var (what, response, status) in new[]
        {
            ("API key", apiKey, HttpStatusCode.Created), ("network token", network, HttpStatusCode.Created),
            ("provisioning", provisioned, HttpStatusCode.Created), ("device with its code", device, HttpStatusCode.OK),
            ("label", label, HttpStatusCode.OK), ("claim", claimed, HttpStatusCode.Created),
            ("unclaim with a new code", unclaimed, HttpStatusCode.OK), ("refusal", refused, HttpStatusCode.Unauthorized),
        })
        {
            response.StatusCode.Should().Be(status, what);
            response.Headers.CacheControl?.NoStore.Should().BeTrue(what);
        }
        using var health = await server.Client().GetAsync("/healthz", Ct);
        health.Headers.CacheControl?.NoStore.Should().NotBe(true, "only the API says no-store");
    }
}
