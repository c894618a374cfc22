using System.Net;
using Custodian.Core.Devices;

namespace Custodian.Server.Tests;

/// <summary>GET /api/v1/devices/{devEui}/label.svg and .png, read back by an independent decoder (zbarimg).</summary>
public sealed class LabelTests(RunningServer fixture) : IClassFixture<RunningServer>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-labels-").FullName;

    private TestServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_png_label_scans_to_the_devices_qr_text()
    {
        var (maker, device) = await ProvisionAsync("label-png", "00000000000C0001");

        var response = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/label.png", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        var png = Path.Combine(_directory, "label.png");
        await File.WriteAllBytesAsync(png, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        (await QrDecoder.DecodePngAsync(png)).Should().Be(device.Qr);
    }

    [Fact]
    public async Task The_svg_label_scans_to_the_qr_text_and_prints_the_deveui_and_claim_code()
    {
        var (maker, device) = await ProvisionAsync("label-svg", "00000000000C0002");

        var response = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/label.svg", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        var text = await response.Content.ReadAsStringAsync(Ct);
        text.Should().Contain($"DevEUI {device.DevEui}").And.Contain($"Claim code {device.ClaimCode}");
        var svg = Path.Combine(_directory, "label.svg");
        await File.WriteAllTextAsync(svg, text, Ct);
        (await QrDecoder.DecodePngAsync(await QrDecoder.SvgToPngAsync(svg))).Should().Be(device.Qr);
    }

    [Fact]
    public async Task Another_tenant_gets_404_and_so_does_the_maker_once_another_tenant_owns_the_device()
    {
        var (maker, device) = await ProvisionAsync("label-owned", "00000000000C0003");
        var stranger = await Server.TenantAsync("label-stranger", "devices:provision", "devices:read");

        (await stranger.GetAsync($"/api/v1/devices/{device.DevEui}/label.svg", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await Server.Store.UpdateDeviceAsync(DevEui.Parse(device.DevEui), d => d with
        {
            Owner = new Ownership("label-stranger", new NetId(0x13), null, null, DateTimeOffset.UtcNow),
            OwnershipEpoch = d.OwnershipEpoch + 1,
        }, Ct);

        var response = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/label.png", Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "device_not_found")).Detail().Should().NotContain(device.ClaimCode);
    }

    [Fact]
    public async Task A_key_without_devices_provision_is_refused()
    {
        var (_, device) = await ProvisionAsync("label-rights", "00000000000C0004");
        var reader = await Server.ApiKeyAsync("label-rights", "devices:read");
        using var client = Server.Client(reader);

        var response = await client.GetAsync($"/api/v1/devices/{device.DevEui}/label.svg", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private async Task<(HttpClient Maker, ProvisionedLabel Device)> ProvisionAsync(string tenant, string devEui)
    {
        var maker = await Server.TenantAsync(tenant, "devices:provision", "devices:read");
        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui, macVersion = "1.0.3" });
        status.Should().Be(HttpStatusCode.Created);
        return (maker, new ProvisionedLabel(body.Text("devEui")!, body.Text("claimCode")!, body.Text("qr")!));
    }

    private sealed record ProvisionedLabel(string DevEui, string ClaimCode, string Qr);
}
