using Custodian.Cli.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>An owner's whole visit on a phone, in one page: the issue's flow from end to end.</summary>
public sealed class JourneyTests
{
    [Fact]
    public async Task An_owner_scans_claims_sees_imports_unclaims_and_signs_out_on_a_phone_without_a_script_error()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var d = await world.ProvisionAsync("0018B20000000801", "0018B20000000802", "0018B20000000803");
        var camera = FakeCamera.Write(d[0].Qr, world.Directory);
        var file = Path.Combine(world.Directory, "claims.json");
        await File.WriteAllTextAsync(file,
            $"[{{\"joinEui\":\"{d[1].JoinEui}\",\"devEui\":\"{d[1].DevEui}\",\"claimCode\":\"{d[1].ClaimCode}\"}},\n"
            + $" {{\"joinEui\":\"{d[2].JoinEui}\",\"devEui\":\"{d[2].DevEui}\",\"claimCode\":\"WRONG0CODE000000\"}}]\n",
            TestContext.Current.CancellationToken);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone, camera);
        var page = browser.Page;
        var rows = page.GetByRole(AriaRole.Table).Locator("tbody").GetByRole(AriaRole.Row);

        await page.SignInAsync(world.OwnerKey);
        await page.Field("Home network (NetID)").FillAsync(ClaimWorld.HomeNetId);
        await page.Button("Scan QR code").ClickAsync();
        await Expect(page.Field("DevEUI")).ToHaveValueAsync(d[0].DevEui, new() { Timeout = 45_000 });
        await page.Button("Claim").ClickAsync();
        await Expect(page.Status()).ToContainTextAsync("Claimed");

        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.GetByRole(AriaRole.Rowheader)).ToHaveTextAsync(d[0].DevEui);

        await page.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
        await Expect(page.Field("Home network of the devices (NetID)")).ToHaveValueAsync(ClaimWorld.HomeNetId); // remembered
        await page.Field("Claim file (CSV or JSON)").SetInputFilesAsync(file);
        await page.Button("Import").ClickAsync();
        await Expect(page.Status()).ToHaveTextAsync("Done: 1 claimed, 0 already yours, 1 failed, of 2 rows.");
        // The second item starts on the file's line 2.
        await Expect(rows.Nth(1).GetByRole(AriaRole.Cell)).ToHaveTextAsync(
            ["2", d[2].DevEui, "Failed: Wrong claim code, or no such device. Check the JoinEUI, DevEUI and claim code on the label."]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await page.Button($"Unclaim {d[0].DevEui}").ClickAsync();
        await page.GetByLabel("Issue a new claim code for the next owner").CheckAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Unclaim", Exact = true }).ClickAsync();
        await Expect(page.Status().Locator("code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z0-9]{16}$"));
        await Expect(rows).ToHaveCountAsync(1);

        await page.Button("Sign out").ClickAsync();
        await Expect(page.Field("API key")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToBeHiddenAsync();
        (await page.ContentAsync()).Should().NotContain(d[1].DevEui, "nothing of the owner stays on the page");
        browser.ShouldHaveNoErrors();
    }
}
