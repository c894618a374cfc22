using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Custodian.Server.Tests;

/// <summary>
/// <c>Custodian:DeviceRepository</c>: a small repository in the LoRaWAN Device Repository's format, written here, names
/// scanned devices in <c>POST /api/v1/qr/parse</c> and the claim answer; a missing or broken one never stops the server,
/// and an admin reloads it.
/// </summary>
public sealed class DeviceRepositoryTests : IDisposable
{
    // VendorID 0x000A = 10, VendorProfileID 0xF8BE = 63678 (the repository writes both in decimal).
    private const string Named = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0102";
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("custodian-devrepo-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _repository.Delete(recursive: true);

    [Fact]
    public async Task A_scanned_code_is_named_with_vendor_model_description_region_and_photo()
    {
        WriteRepository();
        await using var server = await StartAsync(_repository.FullName);

        var device = (await ParseAsync(server, Named)).GetProperty("device");

        device.GetProperty("vendor").GetString().Should().Be("acme-sensors");
        device.GetProperty("vendorName").GetString().Should().Be("ACME Sensors");
        device.GetProperty("modelId").GetString().Should().Be("windmeter");
        device.GetProperty("model").GetString().Should().Be("Wind Meter");
        device.GetProperty("description").GetString().Should().Be("Wind speed and direction");
        device.GetProperty("firmwareVersion").GetString().Should().Be("1.2");
        device.GetProperty("hardwareVersion").GetString().Should().Be("2.0");
        device.GetProperty("region").GetString().Should().Be("EU863-870");
        var photo = device.GetProperty("photo").GetString()!;
        photo.Should().Be("/api/v1/device-repository/photos/000A/F8BE");
        (await server.Admin.GetByteArrayAsync(new Uri(photo, UriKind.Relative), Ct)).Should().Equal(Png);
        (await ParseAsync(server, "LW:D0:70B3D57ED0000010:0018B20000000101:000A0001:O0102")).TryGetProperty("device", out _).Should().BeFalse("profile 1 is not in the repository");
        (await ParseAsync(server, "LW:D0:70B3D57ED0000010:0018B20000000101:0B00F8BE:O0102")).TryGetProperty("device", out _).Should().BeFalse("vendor 0x0B00 is not");
        using var missing = await server.Admin.GetAsync(new Uri("/api/v1/device-repository/photos/000A/0001", UriKind.Relative), Ct);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_claim_by_qr_text_names_the_device()
    {
        WriteRepository();
        await using var server = await StartAsync(_repository.FullName);
        using (var network = await server.Admin.PostAsJsonAsync("/api/v1/networks", new { netId = "000013" }, Ct))
        {
            network.EnsureSuccessStatusCode();
        }
        var key = await server.ApiKeyAsync("operator", "devices:provision", "devices:claim", "devices:read");
        using var client = server.Client(key);
        using var made = await client.PostAsJsonAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000010", devEui = "0018B20000000101", macVersion = "1.0.3" }, Ct);
        var claimCode = (await made.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("claimCode").GetString();

        using var claimed = await client.PostAsJsonAsync("/api/v1/claims", new { qr = $"LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O{claimCode}", homeNetId = "000013" }, Ct);

        claimed.StatusCode.Should().Be(HttpStatusCode.Created);
        var answer = await claimed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        answer.GetProperty("device").GetProperty("model").GetString().Should().Be("Wind Meter");
        answer.GetProperty("devEui").GetString().Should().Be("0018B20000000101");
    }

    [Fact]
    public async Task A_missing_repository_is_logged_and_the_server_runs_without_names()
    {
        await using var server = await StartAsync(Path.Combine(_repository.FullName, "not-there"));

        var parsed = await ParseAsync(server, Named);

        parsed.GetProperty("devEui").GetString().Should().Be("0018B20000000101");
        parsed.TryGetProperty("device", out _).Should().BeFalse();
        server.Logs.All.Should().Contain("cannot be read");
    }

    [Fact]
    public async Task Broken_files_are_skipped_and_an_admin_reload_picks_up_the_repaired_repository()
    {
        WriteRepository();
        File.WriteAllText(Path.Combine(_repository.FullName, "vendor", "acme-sensors", "windmeter.yaml"), "name: [unclosed\n");
        await using var server = await StartAsync(_repository.FullName);
        (await ParseAsync(server, Named)).TryGetProperty("device", out _).Should().BeFalse();
        server.Logs.All.Should().Contain("windmeter.yaml");

        WriteRepository();
        using var owner = server.Client(await server.ApiKeyAsync("operator", "devices:read"));
        using var refused = await owner.PostAsync(new Uri("/api/v1/device-repository/reload", UriKind.Relative), null, Ct);
        using var reload = await server.Admin.PostAsync(new Uri("/api/v1/device-repository/reload", UriKind.Relative), null, Ct);

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        reload.EnsureSuccessStatusCode();
        var counts = await reload.Content.ReadFromJsonAsync<JsonElement>(Ct);
        counts.GetProperty("vendors").GetInt32().Should().Be(1);
        counts.GetProperty("profiles").GetInt32().Should().Be(2);
        (await ParseAsync(server, Named)).GetProperty("device").GetProperty("model").GetString().Should().Be("Wind Meter");
    }

    private static Task<TestServer> StartAsync(string repository) =>
        TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:DeviceRepository"] = repository });

    private static async Task<JsonElement> ParseAsync(TestServer server, string qr)
    {
        using var response = await server.Admin.PostAsJsonAsync("/api/v1/qr/parse", new { qr }, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Two vendors (one without a VendorID), one with a device under two profiles, a photo, a profile naming no file.</summary>
    private void WriteRepository()
    {
        var vendor = Directory.CreateDirectory(Path.Combine(_repository.FullName, "vendor", "acme-sensors")).FullName;
        Directory.CreateDirectory(Path.Combine(_repository.FullName, "vendor", "hobby"));
        File.WriteAllText(Path.Combine(_repository.FullName, "vendor", "index.yaml"), """
            vendors:
              - id: acme-sensors
                name: ACME Sensors
                vendorID: 10
                website: https://example.org
              - id: hobby
                name: Hobby Boards
            """);
        File.WriteAllText(Path.Combine(vendor, "index.yaml"), """
            endDevices:
              - windmeter
            profileIDs:
              '63678':
                endDeviceID: 'windmeter'
                firmwareVersion: '1.2'
                hardwareVersion: '2.0'
                region: 'EU863-870'
              '63679':
                endDeviceID: 'windmeter'
                firmwareVersion: '1.2'
                hardwareVersion: '2.0'
                region: 'US902-928'
              '7':
                endDeviceID: 'no-such-device'
                region: 'EU863-870'
            """);
        File.WriteAllText(Path.Combine(vendor, "windmeter.yaml"), """
            name: Wind Meter
            description: Wind speed and direction
            firmwareVersions:
              - version: '1.2'
                numeric: 1
            photos:
              main: windmeter.png
            """);
        File.WriteAllBytes(Path.Combine(vendor, "windmeter.png"), Png);
    }
}
