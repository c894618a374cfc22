using System.Globalization;
using System.Net;
using Custodian.Cli.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>The owner's list of claimed devices: pages, search, unclaiming with a new claim code shown once.</summary>
public sealed class DevicesPageTests
{
    private const int PageSize = 50; // js/devices.js

    private static string DevEui(int n) => "0018B2000000" + n.ToString("X4", CultureInfo.InvariantCulture);

    private static ILocator Rows(IPage page) => page.GetByRole(AriaRole.Table).Locator("tbody").GetByRole(AriaRole.Row);

    [Fact]
    public async Task Devices_lists_the_owners_claims_page_by_page_with_their_state_and_searches_them()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var mine = await world.ProvisionAsync([.. Enumerable.Range(1, PageSize + 2).Select(DevEui)]);
        var theirs = await world.ProvisionAsync(DevEui(0x100));
        await world.ClaimAllAsync(mine);
        await world.ClaimAllAsync(theirs, await world.Server.KeyAsync("neighbour", ClaimWorld.OwnerRights));
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your devices" })).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(PageSize);
        var first = Rows(page).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = mine[0].DevEui }) });
        await Expect(first.GetByRole(AriaRole.Cell)).ToHaveTextAsync([mine[0].JoinEui, "Claimed", ClaimWorld.HomeNetId, "Never", "Unclaim"]);
        await page.Button("Load more devices").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(PageSize + 2);
        await Expect(page.Button("Load more devices")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = theirs[0].DevEui })).ToHaveCountAsync(0);

        await page.Field("Search devices").FillAsync(DevEui(0x21).ToLowerInvariant()[10..]);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).GetByRole(AriaRole.Rowheader)).ToHaveTextAsync(DevEui(0x21));
        await page.Field("Search devices").FillAsync("");
        await Expect(Rows(page)).ToHaveCountAsync(PageSize + 2);

        // A whole DevEUI beyond the loaded page is looked up on the server; another owner's is not shown.
        await page.ReloadAsync();
        await Expect(Rows(page)).ToHaveCountAsync(PageSize);
        await page.Field("Search devices").FillAsync(mine[^1].DevEui);
        await page.Field("Search devices").PressAsync("Enter");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page).GetByRole(AriaRole.Rowheader)).ToHaveTextAsync(mine[^1].DevEui);
        await page.Field("Search devices").FillAsync(theirs[0].DevEui);
        await page.Field("Search devices").PressAsync("Enter");
        await Expect(page.Alert()).ToHaveTextAsync($"You have not claimed a device {theirs[0].DevEui}.");
        await Expect(Rows(page)).ToHaveCountAsync(0);
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Unclaiming_with_a_new_code_shows_it_once_and_the_next_owner_claims_with_it_on_a_phone()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var devices = await world.ProvisionAsync(DevEui(1), DevEui(2), DevEui(3));
        var (sold, returned, kept) = (devices[0], devices[1], devices[2]);
        await world.ClaimAllAsync(devices);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(3);

        // Cancelling changes nothing.
        await page.Button($"Unclaim {kept.DevEui}").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = $"Unclaim {kept.DevEui}?" })).ToBeVisibleAsync();
        await page.Button("Cancel").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Expect(Rows(page)).ToHaveCountAsync(3);

        await page.Button($"Unclaim {sold.DevEui}").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Unclaim {sold.DevEui}?" });
        await dialog.GetByLabel("Issue a new claim code for the next owner").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Unclaim", Exact = true }).ClickAsync();

        await Expect(page.Status()).ToContainTextAsync($"Unclaimed {sold.DevEui}. Its new claim code, shown only this once: ");
        var code = (await page.Status().Locator("code").TextContentAsync())!;
        code.Should().MatchRegex("^[A-Z0-9]{16}$").And.NotBe(sold.ClaimCode);
        await Expect(Rows(page)).ToHaveCountAsync(2);
        (await world.ClaimOfAsync(sold.DevEui)).Should().BeNull();
        var next = await world.Server.KeyAsync("next-owner", ClaimWorld.OwnerRights);
        (await world.Server.ClaimAsync(next, sold, sold.ClaimCode)).Should().Be(HttpStatusCode.Forbidden, "the old code is gone");
        (await world.Server.ClaimAsync(next, sold, code)).Should().Be(HttpStatusCode.Created, "the code shown is the new one");

        await page.Button($"Unclaim {returned.DevEui}").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Unclaim", Exact = true }).ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync($"Unclaimed {returned.DevEui}.");
        (await world.ClaimOfAsync(returned.DevEui)).Should().BeNull();
        (await page.ContentAsync()).Should().NotContain(code, "a new code is shown once, until the next action");

        await page.GetByRole(AriaRole.Link, new() { Name = "Claim" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(page.Status()).ToHaveTextAsync("");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "the table scrolls inside its box");
        browser.ShouldHaveNoErrors();
    }
}
