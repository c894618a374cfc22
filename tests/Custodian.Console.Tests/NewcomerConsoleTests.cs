using System.Globalization;
using Custodian.Cli.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>
/// A newcomer on a phone (390×844): the sign-in page says where the admin key is on a first start, the header says
/// which tenant and key are signed in, views the key cannot use are not offered, an empty device list says what to do
/// next and a full one fits the screen, and a running import can be cancelled.
/// </summary>
public sealed class NewcomerConsoleTests
{
    private static ILocator Link(IPage page, string name) => page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    [Fact]
    public async Task On_a_first_start_the_sign_in_page_says_where_the_admin_key_is_but_not_the_key()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var keyFile = Path.GetFullPath(Path.Combine(world.Server.DataDirectory, "admin-key.txt"));
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;

        await page.GotoAsync("/");

        await Expect(page.GetByText("Just started the server?")).ToContainTextAsync($"Its admin key, with every right, is in {keyFile} on the server");
        (await page.ContentAsync()).Should().NotContain(world.Server.AdminKey);
        // Once the operator has moved the file away, the page says no more.
        File.Move(keyFile, keyFile + ".moved");
        await page.ReloadAsync();
        await Expect(page.Button("Sign in")).ToBeVisibleAsync();
        await Expect(page.GetByText("Just started the server?")).ToBeHiddenAsync();
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Signed_in_the_header_names_the_tenant_and_views_the_key_cannot_use_are_hidden()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var makerOnly = await world.Server.ApiKeyAsync("acme", "devices:provision", "devices:read");
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;

        await page.SignInAsync(world.OwnerKey);
        await Expect(page.Locator("#whoami")).ToHaveTextAsync("farm (farm) · key test");
        await Expect(Link(page, "Import")).ToBeVisibleAsync();
        await Expect(Link(page, "Provision")).ToBeHiddenAsync();
        await page.GotoAsync("/#provision");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Claim a device" })).ToBeVisibleAsync();

        await page.Button("Sign out").ClickAsync();
        await page.SignInAsync(makerOnly);
        await Expect(page.Locator("#whoami")).ToContainTextAsync("(acme)");
        await Expect(Link(page, "Provision")).ToBeVisibleAsync();
        await Expect(Link(page, "Import")).ToBeHiddenAsync();
        // A reload keeps the key in this tab and still knows who it is.
        await page.ReloadAsync();
        await Expect(Link(page, "Import")).ToBeHiddenAsync();
        await Expect(page.Locator("#whoami")).ToContainTextAsync("(acme)");
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task An_empty_device_list_says_what_to_do_next_and_a_full_one_fits_a_phone()
    {
        await using var world = await ConsoleWorld.StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);

        await Link(page, "Devices").ClickAsync();
        await Expect(page.GetByText("No devices yet.")).ToBeVisibleAsync();
        await Expect(page.Locator("#devices-empty")).ToContainTextAsync("scan the QR code on its label");
        await page.Locator("#devices-empty").GetByRole(AriaRole.Link, new() { Name = "Claim page" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Claim a device" })).ToBeVisibleAsync();

        var devices = await world.ProvisionAsync("0018B20000000A01", "0018B20000000A02");
        await world.ClaimAllAsync(devices);
        await Link(page, "Devices").ClickAsync();
        var rows = page.GetByRole(AriaRole.Table).Locator("tbody").GetByRole(AriaRole.Row);
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.GetByText("No devices yet.")).ToBeHiddenAsync();
        // Each value under its column's name (the label is CSS content, part of the cell's accessible name), on screen.
        var first = rows.First;
        foreach (var cell in new[]
        {
            first.GetByRole(AriaRole.Rowheader, new() { Name = "DevEUI " + devices[0].DevEui, Exact = true }),
            first.GetByRole(AriaRole.Cell, new() { Name = "State Claimed", Exact = true }),
            first.GetByRole(AriaRole.Cell, new() { Name = "Home network " + ClaimWorld.HomeNetId, Exact = true }),
            first.GetByRole(AriaRole.Cell, new() { Name = "Last join Never", Exact = true }),
        })
        {
            await Expect(cell).ToBeInViewportAsync();
        }
        var widths = await page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.querySelector('#view-devices .table-wrap').scrollWidth, document.querySelector('#view-devices .table-wrap').clientWidth]");
        widths[0].Should().BeLessThanOrEqualTo(ConsoleBrowser.Phone.Width, "the page must not scroll sideways");
        widths[1].Should().BeLessThanOrEqualTo(widths[2], "the device list must not scroll sideways");
        await page.ScreenshotAsync(new() { Path = Path.Combine(world.Directory, "devices-phone.png"), FullPage = true });
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_running_import_is_cancelled_and_the_rows_already_claimed_are_reported()
    {
        const int Rows = 520; // the server claims an import in batches of 500: the second waits until cancelled
        await using var world = await ConsoleWorld.StartAsync(configureServices: GatedClaimService.Install);
        var devices = await world.ProvisionAsync([.. Enumerable.Range(1, Rows).Select(n => "0018B2000001" + n.ToString("X4", CultureInfo.InvariantCulture))]);
        var file = Path.Combine(world.Directory, "devices.csv");
        await File.WriteAllLinesAsync(file,
            ["dev_eui,join_eui,claim_authentication_code", .. devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.ClaimCode}")],
            TestContext.Current.CancellationToken);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);
        await Link(page, "Import").ClickAsync();
        await page.Field("Claim file (CSV or JSON)").SetInputFilesAsync(file);
        await page.Field("Home network of the devices (NetID)").FillAsync(ClaimWorld.HomeNetId);

        await page.Button("Import").ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync($"Imported 500 of {Rows} rows…");
        await page.Button("Cancel the import").ClickAsync();

        await Expect(page.Alert()).ToHaveTextAsync(
            "Import cancelled after 500 rows: 500 claimed, 0 already yours, 0 failed. Those claims stay; import the file again to finish the rest.");
        await Expect(page.Button("Cancel the import")).ToBeHiddenAsync();
        await Expect(page.Button("Import")).ToBeEnabledAsync();
        await Expect(Link(page, "Download the report (CSV)")).ToBeVisibleAsync();
        (await world.ClaimOfAsync(devices[499].DevEui)).Should().NotBeNull();
        (await world.ClaimOfAsync(devices[500].DevEui)).Should().BeNull("the import was cancelled before this row");
    }
}
