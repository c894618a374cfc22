using Custodian.Cli.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodian.Console.Tests;

/// <summary>Importing a claim file from the console: progress, a table of the rows, the report to download.</summary>
public sealed class ImportPageTests
{
    private const string BadDevEui = "0018B2ZZ00000000";

    [Fact]
    public async Task A_file_with_one_bad_row_is_imported_with_progress_the_bad_row_explained_and_a_report()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var d = await world.ProvisionAsync("0018B20000000401", "0018B20000000402", "0018B20000000403");
        var file = Path.Combine(world.Directory, "devices.csv");
        await File.WriteAllTextAsync(file,
            "dev_eui,join_eui,claim_authentication_code\n"
            + $"{d[0].DevEui},{d[0].JoinEui},{d[0].ClaimCode}\n"
            + $"{BadDevEui},{d[1].JoinEui},{d[1].ClaimCode}\n"
            + $"{d[1].DevEui},{d[1].JoinEui},{d[1].ClaimCode}\n"
            + $"{d[2].DevEui},{d[2].JoinEui},{d[2].ClaimCode}\n", TestContext.Current.CancellationToken);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Phone);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
        await page.Field("Claim file (CSV or JSON)").SetInputFilesAsync(file);
        await page.Field("Home network of the devices (NetID)").FillAsync(ClaimWorld.HomeNetId);
        await page.Button("Import").ClickAsync();

        await Expect(page.Status()).ToHaveTextAsync("Done: 3 claimed, 0 already yours, 1 failed, of 4 rows.");
        var progress = page.GetByRole(AriaRole.Progressbar, new() { Name = "Import progress" });
        await Expect(progress).ToHaveAttributeAsync("max", "4");
        await Expect(progress).ToHaveAttributeAsync("value", "4");
        var rows = page.GetByRole(AriaRole.Table).Locator("tbody").GetByRole(AriaRole.Row);
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(rows.Nth(1).GetByRole(AriaRole.Cell)).ToHaveTextAsync(
            ["3", BadDevEui, $"Failed: dev_eui: '{BadDevEui}' is not a DevEUI (16 hex digits)"]);
        await Expect(rows.Nth(0).GetByRole(AriaRole.Cell)).ToHaveTextAsync(["2", d[0].DevEui, "Claimed"]);
        await Expect(rows.Nth(3).GetByRole(AriaRole.Cell)).ToHaveTextAsync(["5", d[2].DevEui, "Claimed"]);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the report (CSV)" }).ClickAsync());
        download.SuggestedFilename.Should().Be("devices-report.csv");
        var report = await File.ReadAllLinesAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        report.Should().Equal(
            "dev_eui,status,error",
            $"{d[0].DevEui},claimed,",
            $"{BadDevEui},failed,line 3: dev_eui: '{BadDevEui}' is not a DevEUI (16 hex digits)",
            $"{d[1].DevEui},claimed,",
            $"{d[2].DevEui},claimed,");

        foreach (var device in d)
        {
            (await world.ClaimOfAsync(device.DevEui)).Should().NotBeNull(device.DevEui);
        }
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table).Locator("tbody").GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        browser.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_file_that_cannot_be_used_is_refused_with_the_servers_reason_and_nothing_claimed()
    {
        await using var world = await ConsoleWorld.StartAsync();
        var device = (await world.ProvisionAsync("0018B20000000411"))[0];
        var file = Path.Combine(world.Directory, "no-header.csv");
        await File.WriteAllTextAsync(file, $"{device.DevEui},{device.JoinEui},{device.ClaimCode}\n", TestContext.Current.CancellationToken);
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.SignInAsync(world.OwnerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();

        await page.Button("Import").ClickAsync();
        await Expect(page.Alert()).ToHaveTextAsync("Choose a claim file (CSV or JSON).");
        await page.Field("Claim file (CSV or JSON)").SetInputFilesAsync(file);
        await page.Field("Home network of the devices (NetID)").FillAsync(ClaimWorld.HomeNetId);
        await page.Button("Import").ClickAsync();

        await Expect(page.Alert()).ToContainTextAsync("The file was not imported: no-header.csv has no usable header row: expected a header row naming the columns dev_eui");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download the report (CSV)" })).ToBeHiddenAsync();
        (await world.ClaimOfAsync(device.DevEui)).Should().BeNull();
        browser.ShouldHaveNoErrors();
    }
}
