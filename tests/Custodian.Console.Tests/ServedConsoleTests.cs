using Custodian.Server.Tests.Durability;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>The console as a user gets it: the built server started as a process, from a directory of its own.</summary>
public sealed class ServedConsoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_built_server_serves_the_console_whatever_its_working_directory()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-served-").FullName;
        try
        {
            var adminKey = "cust_console-test-admin-key-0123456789";
            await using (var server = await ServerProcess.StartAsync(directory, adminKey, Ct))
            {
                using var client = server.CreateClient(2);
                foreach (var (path, type) in new[] { ("/", "text/html"), ("/app.css", "text/css"), ("/js/main.js", "text/javascript"), ("/vendor/html5-qrcode.min.js", "text/javascript") })
                {
                    using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
                    response.IsSuccessStatusCode.Should().BeTrue($"{path}: {server.RecentLog()}");
                    response.Content.Headers.ContentType!.MediaType.Should().Be(type, path);
                }

                await using var browser = await ConsoleBrowser.OpenAsync(server.Address, ConsoleBrowser.Phone);
                await browser.Page.SignInAsync(adminKey);
                await Expect(browser.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["Claim", "Devices", "Import", "Provision"]);
                browser.ShouldHaveNoErrors();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Every_control_of_every_view_has_an_accessible_name()
    {
        await using var world = await ConsoleWorld.StartAsync();
        await world.ClaimAllAsync(await world.ProvisionAsync("0018B20000000701"), world.MakerKey); // a row with its Unclaim button
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.GotoAsync("/");
        (await UnnamedControlsAsync(page)).Should().BeEmpty("sign-in view");
        await page.SignInAsync(world.MakerKey); // a key with every view's right: views a key cannot use are hidden
        foreach (var view in new[] { "Claim", "Devices", "Import", "Provision" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = view }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = view })).ToHaveAttributeAsync("aria-current", "page");
            (await UnnamedControlsAsync(page)).Should().BeEmpty(view);
        }
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await page.Button("Unclaim 0018B20000000701").ClickAsync();
        (await UnnamedControlsAsync(page)).Should().BeEmpty("the unclaim dialog");
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Every_view_fits_a_phone_screen_without_sideways_scrolling()
    {
        await using var world = await ConsoleWorld.StartAsync();
        await world.ClaimAllAsync(await world.ProvisionAsync("0018B20000000702"), world.MakerKey);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;
        await page.GotoAsync("/");
        (await PageWidthAsync(page)).Should().BeLessThanOrEqualTo(ConsoleBrowser.Phone.Width, "sign-in view");
        await page.SignInAsync(world.MakerKey); // a key with every view's right
        foreach (var view in new[] { "Claim", "Devices", "Import", "Provision" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = view }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = view })).ToHaveAttributeAsync("aria-current", "page");
            (await PageWidthAsync(page)).Should().BeLessThanOrEqualTo(ConsoleBrowser.Phone.Width, view);
            (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).BoundingBoxAsync())!.Width.Should().BeGreaterThan(0, view);
        }
        browser.ShouldHaveNoErrors();
    }

    private static Task<int> PageWidthAsync(IPage page) => page.EvaluateAsync<int>("document.documentElement.scrollWidth");

    /// <summary>
    /// The visible buttons, links, fields and selects that no label, aria-label, aria-labelledby or text names, as
    /// ids or tag names (Chromium computes each name from the accessibility tree).
    /// </summary>
    private static async Task<IReadOnlyList<string>> UnnamedControlsAsync(IPage page)
    {
        var unnamed = new List<string>();
        var controls = page.Locator("button, a[href], input, select, textarea, [role=button]");
        for (var i = 0; i < await controls.CountAsync(); i++)
        {
            var control = controls.Nth(i);
            var hidden = !await control.EvaluateAsync<bool>("e => e.checkVisibility()");
            if (hidden)
            {
                continue;
            }
            var snapshot = await control.AriaSnapshotAsync();
            // A named control's snapshot is `- role "name"`; an unnamed one is `- role` alone.
            if (!snapshot.Contains('"', StringComparison.Ordinal))
            {
                unnamed.Add(await control.EvaluateAsync<string>("e => e.id || e.outerHTML.slice(0, 80)") + ": " + snapshot);
            }
        }
        return unnamed;
    }
}
