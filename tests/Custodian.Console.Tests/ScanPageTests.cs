using Custodian.Cli.Tests;
using QRCoder;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>Reading a device's label with the camera (Chromium's fake camera shows it) or from a photo, then claiming.</summary>
public sealed class ScanPageTests
{
    // Decoding camera frames in the page takes a moment on a busy machine.
    private static readonly Microsoft.Playwright.LocatorAssertionsToHaveValueOptions Decoded = new() { Timeout = 45_000 };

    [Fact]
    public async Task Scanning_the_label_with_the_camera_fills_the_fields_and_claims_on_a_phone()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var device = (await world.ProvisionAsync("0018B20000000301"))[0];
        var camera = FakeCamera.Write(device.Qr, world.Directory);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone, camera);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);
        await page.Field("Home network (NetID)").FillAsync(ClaimWorld.HomeNetId);

        await page.Button("Scan QR code").ClickAsync();

        await Expect(page.Field("DevEUI")).ToHaveValueAsync(device.DevEui, Decoded);
        await Expect(page.Field("JoinEUI")).ToHaveValueAsync(device.JoinEui);
        await Expect(page.Field("Claim code")).ToHaveValueAsync(device.ClaimCode);
        await Expect(page.Status()).ToHaveTextAsync($"Read the label of DevEUI {device.DevEui}. Press Claim to claim it.");
        await Expect(page.Button("Stop camera")).ToBeHiddenAsync(); // the camera is released once the code is read
        await Expect(page.Button("Scan QR code")).ToBeVisibleAsync();

        await page.Button("Claim").ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync($"Claimed: device {device.DevEui} is yours, on home network {ClaimWorld.HomeNetId}.");
        (await world.ClaimOfAsync(device.DevEui)).Should().NotBeNull();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Rowheader, new() { Name = device.DevEui })).ToBeVisibleAsync();
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task The_camera_can_be_stopped_before_it_reads_a_code()
    {
        await using var world = await ConsoleWorld.StartAsync();
        // A QR code that is not a device label would be read; a blank picture never is.
        var camera = FakeCamera.Write(null, world.Directory);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop, camera);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);

        await page.Button("Scan QR code").ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync("Point the camera at the QR code on the device's label.");
        await Expect(page.Locator("#camera video")).ToBeVisibleAsync();
        await page.Button("Stop camera").ClickAsync();

        await Expect(page.Button("Scan QR code")).ToBeVisibleAsync();
        await Expect(page.Locator("#camera video")).ToHaveCountAsync(0);
        await Expect(page.Status()).ToHaveTextAsync("");
        await Expect(page.Field("DevEUI")).ToHaveValueAsync("");
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task An_uploaded_photo_of_the_label_fills_the_fields_and_other_pictures_are_refused()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var device = (await world.ProvisionAsync("0018B20000000302"))[0];
        var label = Png(world.Directory, "label.png", device.Qr);
        var notALabel = Png(world.Directory, "hello.png", "https://example.com/hello");
        var blank = Png(world.Directory, "blank.png", null);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);

        await page.Field("Upload QR image").SetInputFilesAsync(blank);
        await Expect(page.Alert()).ToHaveTextAsync(
            "No QR code could be read in this image. Try a sharper photo, straight on, with the whole code in it.", new() { Timeout = 30_000 });
        await page.Field("Upload QR image").SetInputFilesAsync(notALabel);
        await Expect(page.Alert()).ToHaveTextAsync("This QR code is not a LoRaWAN device label (TR005) this server can read.", new() { Timeout = 30_000 });
        await Expect(page.Field("DevEUI")).ToHaveValueAsync("");

        await page.Field("Upload QR image").SetInputFilesAsync(label);
        await Expect(page.Field("DevEUI")).ToHaveValueAsync(device.DevEui, Decoded);
        await Expect(page.Field("JoinEUI")).ToHaveValueAsync(device.JoinEui);
        await Expect(page.Field("Claim code")).ToHaveValueAsync(device.ClaimCode);
        await Expect(page.Alert()).ToHaveTextAsync("");
        await page.Field("Home network (NetID)").FillAsync(ClaimWorld.HomeNetId);
        await page.Button("Claim").ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync($"Claimed: device {device.DevEui} is yours, on home network {ClaimWorld.HomeNetId}.");
        browser.ShouldHaveNoErrors();
    }

    /// <summary>A PNG of a QR code of <paramref name="text"/>, or of a white square when null.</summary>
    private static string Png(string directory, string name, string? text)
    {
        var path = Path.Combine(directory, name);
        if (text is null)
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode("x", QRCodeGenerator.ECCLevel.L);
            File.WriteAllBytes(path, new PngByteQRCode(data).GetGraphic(10, [0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF]));
        }
        else
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
            File.WriteAllBytes(path, new PngByteQRCode(data).GetGraphic(10));
        }
        return path;
    }
}
