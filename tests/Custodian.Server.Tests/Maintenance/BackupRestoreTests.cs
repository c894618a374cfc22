using System.Net;
using System.Security.Cryptography;
using Custodian.Server.Tests.Joins;
using Custodian.Storage.Sqlite;

namespace Custodian.Server.Tests.Maintenance;

/// <summary>
/// <c>GET /api/v1/backup</c>: a consistent copy of the SQLite store taken while joins run, restored into a fresh
/// data directory: devices and claims are there and a join works.
/// </summary>
public sealed class BackupRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backup_taken_during_joins_restores_into_a_fresh_data_directory_with_devices_claims_and_joins()
    {
        await using var world = await MaintenanceWorld.CreateAsync("sqlite");
        await world.WriteKeysAsync("a=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var backup = Path.Combine(world.Directory, "backup.db");
        string token, ownerKey, claimed;
        List<Joins.DeviceUnderTest> devices;
        await using (var original = await world.StartAsync())
        {
            token = await MaintenanceWorld.NetworkAsync(original);
            var maker = await original.TenantAsync("maker", "devices:provision", "devices:read");
            devices = await MaintenanceWorld.ProvisionAsync(maker, 40);
            var (status, unclaimed) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000042", devEui = "00C1000000000001", macVersion = "1.0.3" });
            status.Should().Be(HttpStatusCode.Created);
            ownerKey = await original.ApiKeyAsync("maker", "devices:read");
            var owner = await original.TenantAsync("owner", "devices:claim", "devices:read");
            claimed = unclaimed.Text("devEui")!;
            (await owner.PostAsync("/api/v1/claims", new { joinEui = "70B3D57ED0000042", devEui = claimed, claimCode = unclaimed.Text("claimCode"), homeNetId = "000042" })).Status.Should().Be(HttpStatusCode.Created);
            ownerKey = await original.ApiKeyAsync("owner", "devices:read");
            var requests = new List<string>();
            foreach (var target in devices)
            {
                requests.Add(Joins.BackendInterfacesClient.JoinReq(target, await world.Device.JoinRequestAsync(target, 1), MaintenanceWorld.NetId.ToString()).ToJsonString());
            }
            using var peer = original.Client();

            // Joins write while the copy is taken and streamed.
            var joins = Task.Run(async () =>
            {
                var codes = new List<string>();
                foreach (var request in requests)
                {
                    codes.Add(Joins.BackendInterfacesClient.ResultCode((await Joins.BackendInterfacesClient.PostAsync(peer, token, request)).Body));
                }
                return codes;
            }, Ct);
            using (var response = await original.Admin.GetAsync("/api/v1/backup", HttpCompletionOption.ResponseHeadersRead, Ct))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.sqlite3");
                response.Headers.CacheControl!.NoStore.Should().BeTrue();
                await using var file = File.Create(backup);
                await response.Content.CopyToAsync(file, Ct);
            }
            (await joins).Should().OnlyContain(code => code == "Success", "joins are answered while the backup runs");
            Directory.GetFiles(original.DataDirectory, "backup-*").Should().BeEmpty("the server's temporary copy is deleted once sent");
            (await original.Client().GetAsync("/api/v1/backup", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await File.ReadAllBytesAsync(backup, Ct)).AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8).Should().BeTrue();
        var restoredDirectory = Path.Combine(world.Directory, "restored");
        Directory.CreateDirectory(restoredDirectory);
        File.Copy(backup, Path.Combine(restoredDirectory, SqliteCustodianStore.FileName));
        await using var restored = await TestServer.StartAsync(world.Settings(), dataDirectory: restoredDirectory);

        var (deviceStatus, device) = await restored.Client(await restored.ApiKeyAsync("maker", "devices:read")).GetJsonAsync($"/api/v1/devices/{devices[0].DevEui}");
        deviceStatus.Should().Be(HttpStatusCode.OK);
        device.Text("devEui").Should().Be(devices[0].DevEui.ToString());
        var (claimStatus, claim) = await restored.Client(ownerKey).GetJsonAsync($"/api/v1/claims/{claimed}");
        claimStatus.Should().Be(HttpStatusCode.OK, claim.ToString());
        claim.Text("homeNetId").Should().Be("000042");
        (await world.JoinAsync(restored.Client(), token, devices[^1], 2)).Should().Be("Success", "the network's token and the device's keys came back");
    }

    [Fact]
    public async Task A_postgres_server_points_to_its_own_tools()
    {
        await using var world = await MaintenanceWorld.CreateAsync("postgres");
        await world.WriteKeysAsync("a=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        await using var server = await world.StartAsync();

        using var response = await server.Admin.GetAsync("/api/v1/backup", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        problem.Detail().Should().Contain("pg_dump");
    }
}
