using System.Net.Http.Json;
using Custodian.Cli.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>Signing in and out, and claiming a device by typing what its label says, in Chromium.</summary>
public sealed class ClaimPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Root_serves_the_console_under_a_policy_of_this_origin_only()
    {
        await using var world = await ConsoleWorld.StartAsync();
        using var anonymous = world.Server.Client();

        using var page = await anonymous.GetAsync("/", Ct);
        page.EnsureSuccessStatusCode();
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'self'; script-src 'self'; style-src 'self';");
        var html = await page.Content.ReadAsStringAsync(Ct);
        html.Should().Contain("<label for=\"api-key\">API key</label>");
        html.Should().Contain("href=\"app.css\"").And.Contain("src=\"vendor/html5-qrcode.min.js\"").And.Contain("src=\"js/main.js\"");
        foreach (var asset in new[] { "app.css", "js/main.js", "js/api.js", "js/claim.js", "vendor/html5-qrcode.min.js", "vendor/html5-qrcode.LICENSE.txt" })
        {
            using var file = await anonymous.GetAsync("/" + asset, Ct);
            file.IsSuccessStatusCode.Should().BeTrue(asset);
            file.Headers.Contains("Content-Security-Policy").Should().BeTrue(asset);
        }
        using var missing = await anonymous.GetAsync("/js/nothing.js", Ct);
        ((int)missing.StatusCode).Should().Be(404);
    }

    [Fact]
    public async Task An_owner_signs_in_claims_by_typing_and_signs_out_on_a_phone()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var device = (await world.ProvisionAsync("0018B20000000101"))[0];
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;

        await page.GotoAsync("/");
        await page.Field("API key").FillAsync("cust_not-a-key-of-this-server-at-all");
        await page.Button("Sign in").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync("This API key is not accepted: it is mistyped, revoked or from another server.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Claim" })).ToBeHiddenAsync();

        await page.SignInAsync(world.OwnerKey);
        (await page.EvaluateAsync<string>("sessionStorage.getItem('custodian.apiKey')")).Should().Be(world.OwnerKey);
        await page.FillClaimAsync(device.JoinEui, string.Join(":", device.DevEui.ToLowerInvariant().Chunk(2).Select(pair => new string(pair))), device.ClaimCode, ClaimWorld.HomeNetId);
        await page.Button("Claim").ClickAsync();

        await Expect(page.Status()).ToHaveTextAsync($"Claimed: device {device.DevEui} is yours, on home network {ClaimWorld.HomeNetId}.");
        var claim = await world.ClaimOfAsync(device.DevEui);
        claim.Should().NotBeNull("the console's claim is the server's");
        claim!.Value.GetProperty("homeNetId").GetString().Should().Be(ClaimWorld.HomeNetId);
        await Expect(page.Field("Claim code")).ToHaveValueAsync("");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "nothing is wider than a phone");

        await page.Button("Sign out").ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync("Signed out. The API key is no longer kept in this browser.");
        await Expect(page.Field("API key")).ToBeVisibleAsync();
        await Expect(page.Field("DevEUI")).ToBeHiddenAsync();
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('custodian.apiKey')")).Should().BeNull();
        await page.ReloadAsync();
        await Expect(page.Button("Sign in")).ToBeVisibleAsync();
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Refused_claims_say_why_plainly()
    {
        // No free wrong codes: the first wrong code locks the device, so the lock can be seen at once.
        await using var world = await ConsoleWorld.StartAsync(new Dictionary<string, string?> { ["Custodian:Claims:Lockout:FreeFailures"] = "0" });
        var devices = await world.ProvisionAsync("0018B20000000201", "0018B20000000202", "0018B20000000203");
        var (guessed, elsewhere, taken) = (devices[0], devices[1], devices[2]);
        var neighbour = await world.Server.KeyAsync("neighbour", ClaimWorld.OwnerRights);
        (await world.Server.ClaimAsync(neighbour, taken, taken.ClaimCode)).Should().Be(System.Net.HttpStatusCode.Created);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);

        await page.FillClaimAsync(guessed.JoinEui, guessed.DevEui, "WRONGCODE0000000", ClaimWorld.HomeNetId);
        await page.Button("Claim").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync(
            "Not claimed: wrong claim code, or no such device. Check the JoinEUI, DevEUI and claim code on the label.");

        await page.Field("Claim code").FillAsync(guessed.ClaimCode);
        await page.Button("Claim").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^Not claimed: too many wrong claim codes for this device\. It is locked until \d\d:\d\d:\d\d\.$"));

        await page.FillClaimAsync(elsewhere.JoinEui, elsewhere.DevEui, elsewhere.ClaimCode, "000099");
        await page.Button("Claim").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync(
            "Not claimed: the home network 000099 is not registered on this server. Ask its operator to register it.");

        await page.FillClaimAsync(taken.JoinEui, taken.DevEui, taken.ClaimCode, ClaimWorld.HomeNetId);
        await page.Button("Claim").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync("Not claimed: this device is claimed by someone else. Its owner must unclaim it first.");

        await page.Field("Claim code").FillAsync("");
        await page.Button("Claim").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync("Type the claim code (on the label, or given with the device).");
        await Expect(page.Status()).ToHaveTextAsync("");

        (await world.ClaimOfAsync(guessed.DevEui)).Should().BeNull();
        (await world.ClaimOfAsync(elsewhere.DevEui)).Should().BeNull();
        using var owner = world.Server.Client(world.OwnerKey);
        (await owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/claims", Ct)).GetProperty("claims").GetArrayLength().Should().Be(0);

        // The home network is remembered in this browser (localStorage) for the next claim.
        await page.ReloadAsync();
        await Expect(page.Field("Home network (NetID)")).ToHaveValueAsync(ClaimWorld.HomeNetId);
        browser.ShouldHaveNoErrors();
    }
}
