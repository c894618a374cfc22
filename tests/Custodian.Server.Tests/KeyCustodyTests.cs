using System.Net;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests;

public sealed class KeyCustodyTests
{
    private const string KekA = "000102030405060708090a0b0c0d0e0f";
    private const string KekB = "f0e0d0c0b0a09080706050403020100000112233445566778899aabbccddeeff";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_missing_kek_is_generated_into_the_data_directory_with_a_warning_and_reused()
    {
        await using var first = await TestServer.StartAsync();
        var file = Path.Combine(first.DataDirectory, "kek.txt");
        var text = await File.ReadAllTextAsync(file, Ct);
        text.Should().MatchRegex("(?m)^kek1=[0-9a-f]{64}$");
        first.Logs.Lines.Should().Contain(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("[1010]") && line.Contains(file));
        var (devEui, claimCode) = await ProvisionAsync(first, "kekgen", "0000000000100001");
        (await Stored(first, devEui)).RootKeys.KekLabel.Should().Be("kek1");
        await first.StopAsync();

        await using var second = await TestServer.StartAsync(dataDirectory: first.DataDirectory);
        (await File.ReadAllTextAsync(file, Ct)).Should().Be(text);
        second.Logs.Lines.Should().NotContain(line => line.Contains("[1010]"));
        var maker = second.Client(await second.ApiKeyAsync("kekgen", "devices:read"));
        (await maker.GetJsonAsync($"/api/v1/devices/{devEui}")).Body.Text("claimCode").Should().Be(claimCode);
    }

    [Fact]
    public async Task A_configured_kek_seals_under_its_label_and_nothing_is_generated()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:Kek"] = KekA, ["Custodian:KekLabel"] = "hsm-2026" });

        var (devEui, _) = await ProvisionAsync(server, "kekcfg", "0000000000100002");

        File.Exists(Path.Combine(server.DataDirectory, "kek.txt")).Should().BeFalse();
        var device = await Stored(server, devEui);
        device.RootKeys.KekLabel.Should().Be("hsm-2026");
        device.ClaimCode.KekLabel.Should().Be("hsm-2026");
    }

    [Fact]
    public async Task Rotation_seals_new_devices_under_the_new_label_and_still_opens_the_old_ones()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-rotation-").FullName;
        var kekFile = Path.Combine(directory, "keks.txt");
        await File.WriteAllTextAsync(kekFile, $"a={KekA}\n", Ct);
        var settings = new Dictionary<string, string?> { ["Custodian:KekFile"] = kekFile };
        string oldDevEui, oldCode, oldAppKey;
        await using (var first = await TestServer.StartAsync(settings, dataDirectory: directory))
        {
            var maker = await first.TenantAsync("rotation", "devices:provision", "devices:read");
            var (_, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "0000000000100003", macVersion = "1.0.3" });
            (oldDevEui, oldCode, oldAppKey) = (body.Text("devEui")!, body.Text("claimCode")!, body.Text("appKey")!);
            (await Stored(first, oldDevEui)).RootKeys.KekLabel.Should().Be("a");
        }

        await File.WriteAllTextAsync(kekFile, $"a={KekA}\nb={KekB}\n", Ct);
        await using var second = await TestServer.StartAsync(settings, dataDirectory: directory);
        var reader = second.Client(await second.ApiKeyAsync("rotation", "devices:provision", "devices:read"));

        var (status, view) = await reader.GetJsonAsync($"/api/v1/devices/{oldDevEui}");
        status.Should().Be(HttpStatusCode.OK);
        view.Text("claimCode").Should().Be(oldCode);
        var ring = second.Services.GetRequiredService<KeyRing>();
        ring.CurrentLabel.Should().Be("b");
        var oldDevice = await Stored(second, oldDevEui);
        ring.OpenRootKeys(oldDevice.RootKeys, oldDevice.DevEui).NwkKey.Key.ExportSecretHex().Should().Be(oldAppKey);

        var (_, fresh) = await reader.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "0000000000100004", macVersion = "1.0.3" });
        var newDevice = await Stored(second, fresh.Text("devEui")!);
        newDevice.RootKeys.KekLabel.Should().Be("b");
        newDevice.ClaimCode.KekLabel.Should().Be("b");
        ring.OpenRootKeys(newDevice.RootKeys, newDevice.DevEui).NwkKey.Key.ExportSecretHex().Should().Be(fresh.Text("appKey"));
        new KeyRing([new Lorawan.Crypto.KeyEncryptionKey("a", Convert.FromHexString(KekA))], "a")
            .TryOpen(newDevice.RootKeys, SecretBinding.DeviceRootKeys(newDevice.DevEui), out _, out _).Should().BeFalse("the new device is not readable with the old KEK alone");
        await second.StopAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<(string DevEui, string ClaimCode)> ProvisionAsync(TestServer server, string tenant, string devEui)
    {
        var maker = await server.TenantAsync(tenant, "devices:provision", "devices:read");
        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui, macVersion = "1.0.3" });
        status.Should().Be(HttpStatusCode.Created);
        return (devEui, body.Text("claimCode")!);
    }

    private static async Task<Device> Stored(TestServer server, string devEui) =>
        (await server.Store.GetDeviceAsync(DevEui.Parse(devEui), Ct))!;
}
