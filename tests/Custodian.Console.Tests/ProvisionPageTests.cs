using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Custodian.Cli.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>A maker provisions a batch from the console and downloads its manifest and label sheet.</summary>
public sealed partial class ProvisionPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_maker_provisions_a_batch_and_downloads_the_manifest_and_the_label_sheet()
    {
        await using var world = await ConsoleWorld.StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.SignInAsync(world.MakerKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Provision" }).ClickAsync();
        await page.Field("JoinEUI of the devices").FillAsync(ClaimWorld.JoinEui);
        await page.Field("First DevEUI").FillAsync("00-18-b2-00-00-00-05-ff");
        await page.Field("Number of devices").FillAsync("3");
        await page.Field("LoRaWAN MAC version").SelectOptionAsync("1.0.4");
        await page.Button("Provision").ClickAsync();

        await Expect(page.Status()).ToHaveTextAsync(
            "Provisioned 3 of 3 devices. Download the manifest and the label sheet now: the keys are not shown again.");
        var manifest = await DownloadAsync(page, "Download the manifest (CSV)");
        manifest.Name.Should().Be("manifest-70B3D57ED0000000-0018B200000005FF.csv");
        var lines = manifest.Text.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("dev_eui,join_eui,mac_version,app_key,nwk_key,claim_authentication_code,qr_code");
        var rows = lines[1..].Select(line => line.Split(',')).ToList();
        rows.Select(r => r[0]).Should().Equal("0018B200000005FF", "0018B20000000600", "0018B20000000601");
        // A LoRaWAN 1.0.x device has an AppKey and no NwkKey.
        rows.Should().OnlyContain(r => r[1] == ClaimWorld.JoinEui && r[2] == "1.0.4" && Hex32().IsMatch(r[3]) && r[4] == "" && r[6].StartsWith("LW:D0:"));

        var labels = await DownloadAsync(page, "Download the label sheet (HTML, to print)");
        var images = LabelImage().Matches(labels.Text);
        images.Should().HaveCount(3);
        images[1].Groups["devEui"].Value.Should().Be("0018B20000000600");
        var svg = Encoding.UTF8.GetString(Convert.FromBase64String(images[1].Groups["svg"].Value));
        svg.Should().StartWith("<svg").And.Contain("DevEUI 0018B20000000600").And.Contain($"Claim code {rows[1][5]}");

        // The manifest's claim code is the device's: an owner claims with it.
        var device = new MadeDevice(rows[1][0], rows[1][1], rows[1][5], rows[1][6]);
        (await world.Server.ClaimAsync(world.OwnerKey, device, device.ClaimCode)).Should().Be(HttpStatusCode.Created);

        // The same range again: every device exists, each one says so, nothing to download.
        await page.Field("Number of devices").FillAsync("2");
        await page.Button("Provision").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync("No device was provisioned.");
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "not provisioned" })).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download the manifest (CSV)" })).ToBeHiddenAsync();
        browser.ShouldHaveNoErrors();
    }

    private static async Task<(string Name, string Text)> DownloadAsync(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync());
        return (download.SuggestedFilename, await File.ReadAllTextAsync((await download.PathAsync())!, Ct));
    }

    [GeneratedRegex("^[0-9A-F]{32}$")]
    private static partial Regex Hex32();

    [GeneratedRegex("<img src=\"data:image/svg\\+xml;base64,(?<svg>[A-Za-z0-9+/=]+)\" alt=\"Label of device (?<devEui>[0-9A-F]{16})\"/>")]
    private static partial Regex LabelImage();
}
