using System.Net.Http.Json;
using System.Text.Json;
using Custodian.Cli.Tests;
using Microsoft.Playwright;
using QRCoder;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>With <c>Custodian:DeviceRepository</c> set, a scanned label shows what device it is, with its photo, before Claim.</summary>
public sealed class DeviceNamePageTests
{
    [Fact]
    public async Task A_scanned_label_names_the_device_with_its_photo_before_it_is_claimed_on_a_phone()
    {
        var repository = Directory.CreateTempSubdirectory("custodian-devrepo-console-");
        try
        {
            WriteRepository(repository.FullName);
            await using var world = await ConsoleWorld.StartAsync(new Dictionary<string, string?> { ["Custodian:DeviceRepository"] = repository.FullName });
            var device = await ProvisionAsync(world, "0018B20000000B01");
            var label = Png(Path.Combine(world.Directory, "label.png"), $"LW:D0:{device.JoinEui}:{device.DevEui}:000AF8BE:O{device.ClaimCode}");
            await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
            var page = browser.Page;
            await page.SignInAsync(world.OwnerKey);

            await page.Field("Upload QR image").SetInputFilesAsync(label);

            var figure = page.GetByRole(AriaRole.Figure);
            await Expect(figure).ToHaveTextAsync("ACME Sensors Wind Meter: Wind speed and direction (firmware 1.2, hardware 2.0, EU863-870).", new() { Timeout = 30_000 });
            await Expect(figure.GetByRole(AriaRole.Img, new() { Name = "ACME Sensors Wind Meter" })).ToBeVisibleAsync();
            (await figure.GetByRole(AriaRole.Img).EvaluateAsync<int>("img => img.naturalWidth")).Should().BeGreaterThan(0);
            await Expect(page.Status()).ToHaveTextAsync($"Read the label of ACME Sensors Wind Meter, DevEUI {device.DevEui}. Press Claim to claim it.");
            var figureBottom = (await figure.BoundingBoxAsync())!.Y;
            var claimTop = (await page.Button("Claim").BoundingBoxAsync())!.Y;
            figureBottom.Should().BeLessThan(claimTop, "the device is named before the Claim button");
            await page.Field("Home network (NetID)").FillAsync(ClaimWorld.HomeNetId);
            await page.Button("Claim").ClickAsync();
            await Expect(page.Status()).ToHaveTextAsync($"Claimed: device {device.DevEui} is yours, on home network {ClaimWorld.HomeNetId}.");
            browser.ShouldHaveNoErrors();
        }
        finally
        {
            repository.Delete(recursive: true);
        }
    }

    // A given claim code rather than a generated one, so that the label's QR code is the same on every run: the browser's
    // decoder (html5-qrcode) misreads a small share of codes, so a random one would make this test fail by chance.
    private const string ClaimCode = "WINDMETER2026X7Q";

    private static async Task<MadeDevice> ProvisionAsync(ConsoleWorld world, string devEui)
    {
        using var maker = world.Server.Client(world.MakerKey);
        using var response = await maker.PostAsJsonAsync(
            "/api/v1/devices", new { joinEui = ClaimWorld.JoinEui, devEui, macVersion = "1.0.3", claimCode = ClaimCode }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new MadeDevice(devEui, ClaimWorld.JoinEui, body.GetProperty("claimCode").GetString()!, body.GetProperty("qr").GetString()!);
    }

    private static string Png(string path, string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        File.WriteAllBytes(path, new PngByteQRCode(data).GetGraphic(10));
        return path;
    }

    private static void WriteRepository(string root)
    {
        var vendor = Directory.CreateDirectory(Path.Combine(root, "vendor", "acme-sensors")).FullName;
        File.WriteAllText(Path.Combine(root, "vendor", "index.yaml"), "vendors:\n  - id: acme-sensors\n    name: ACME Sensors\n    vendorID: 10\n");
        File.WriteAllText(Path.Combine(vendor, "index.yaml"), """
            endDevices:
              - windmeter
            profileIDs:
              '63678':
                endDeviceID: 'windmeter'
                firmwareVersion: '1.2'
                hardwareVersion: '2.0'
                region: 'EU863-870'
            """);
        File.WriteAllText(Path.Combine(vendor, "windmeter.yaml"), "name: Wind Meter\ndescription: Wind speed and direction\nphotos:\n  main: windmeter.png\n");
        // Any picture will do for a photo: a QR code of the model's name.
        Png(Path.Combine(vendor, "windmeter.png"), "Wind Meter");
    }
}
