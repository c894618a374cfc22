using Custodian.Cli.Tests.Claims;
using Custodian.Lorawan.Qr;
using static Custodian.Cli.Tests.Devices.ProvisionWorld;

namespace Custodian.Cli.Tests.Devices;

/// <summary><c>custodian devices provision</c> against a real server: the manifest, the labels, reruns and refusals.</summary>
public sealed class ProvisionCommandTests(ClaimTestBed bed) : IClassFixture<ClaimTestBed>
{
    [Fact]
    public async Task A_range_gives_a_manifest_row_per_device_labels_that_scan_to_its_qr_text_and_an_a4_sheet()
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        var manifest = bed.PathFor("manifest.csv");
        var labels = bed.PathFor("labels");

        // Small batches, several in flight: the manifest must still follow the range.
        var run = await bed.ProvisionAsync(key, first, 23, manifest, "--labels", labels, "--batch-size", "5", "--parallel", "3");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("23 created, 0 already provisioned, 0 failed (23 of 23 devices).")
            .And.Contain($"Manifest: {manifest} (23 devices)").And.Contain($"Labels: {labels} (23 devices");
        var rows = ReadManifest(manifest);
        rows.Select(r => r.DevEui).Should().Equal(Enumerable.Range(0, 23).Select(i => Eui(first + (ulong)i)));
        rows.Should().AllSatisfy(row =>
        {
            row.JoinEui.Should().Be(JoinEui);
            row.MacVersion.Should().Be("1.0.3");
            row.AppKey.Should().MatchRegex("^[0-9A-F]{32}$");
            row.NwkKey.Should().BeNull("a 1.0.x device has one root key");
            row.Code.Should().MatchRegex("^[A-Z0-9]{16}$");
            QrCode.Parse(row.Qr).Should().Match<QrCode>(qr => qr.DevEui.ToString() == row.DevEui && qr.JoinEui.ToString() == JoinEui && qr.OwnerToken == row.Code);
        });
        rows.Select(r => r.AppKey).Should().OnlyHaveUniqueItems();
        rows.Select(r => r.Code).Should().OnlyHaveUniqueItems();

        // The server holds what the manifest says; an independent decoder reads every PNG label back to its row's QR text.
        foreach (var row in rows.Take(3))
        {
            (await bed.MakerViewAsync(key, row.DevEui)).Should().Be((row.Code, row.Qr));
        }
        (await ScanAsync(rows.Select(r => Path.Combine(labels, r.DevEui + ".png")))).Should().Equal(rows.Select(r => r.Qr));
        rows.Should().AllSatisfy(row => File.ReadAllText(Path.Combine(labels, row.DevEui + ".svg")).Should().Contain(row.DevEui).And.Contain(row.Code));
        var sheet = File.ReadAllText(Path.Combine(labels, "labels.html"));
        sheet.Should().Contain("size: A4");
        System.Text.RegularExpressions.Regex.Matches(sheet, "<img src=\"([0-9A-F]{16})\\.svg\"").Select(m => m.Groups[1].Value)
            .Should().Equal(rows.Select(r => r.DevEui));
        (run.Out + run.Error).Should().NotContain(rows[0].Code).And.NotContain(rows[0].AppKey);
        File.Exists(manifest + ".pending").Should().BeFalse("a finished run leaves no journal");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(manifest).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the manifest holds root keys");
            // Labels print claim codes: owner-only too, the folder as well (it was made by the run).
            File.GetUnixFileMode(labels).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.EnumerateFiles(labels).Should().HaveCount((2 * 23) + 1, "a PNG and an SVG per device, and the sheet");
            foreach (var file in Directory.EnumerateFiles(labels))
            {
                File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
            }
        }
    }

    [Fact]
    public async Task A_json_manifest_of_lorawan_11_devices_has_both_root_keys_and_owners_claim_from_it()
    {
        var maker = await bed.MakerKeyAsync();
        var first = FreshRange();
        var manifest = bed.PathFor("manifest.json");

        var run = await bed.DevicesAsync(maker, "provision", "--join-eui", JoinEui, "--dev-eui-start", Eui(first), "-n", "12", "--mac-version", "1.1",
            "--vendor-id", "0a1b", "--vendor-profile-id", "0002", "-o", manifest, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Contain("\"created\": 12").And.Contain("\"failed\": 0");
        var rows = ReadManifest(manifest);
        rows.Should().HaveCount(12).And.AllSatisfy(row =>
        {
            row.MacVersion.Should().Be("1.1");
            row.NwkKey.Should().MatchRegex("^[0-9A-F]{32}$").And.NotBe(row.AppKey);
            var qr = QrCode.Parse(row.Qr);
            (qr.VendorId, qr.VendorProfileId).Should().Be(((ushort?)0x0A1B, (ushort?)0x0002));
        });

        // The manifest is also a claim file: an owner who is handed it claims every device.
        var owner = await bed.OwnerKeyAsync();
        var claim = await bed.ClaimAsync(owner, "--file", manifest);
        claim.ExitCode.Should().Be(0, claim.Error);
        claim.Out.Should().StartWith("12 claimed, 0 already claimed by you, 0 failed");
    }

    [Fact]
    public async Task A_rerun_after_a_crash_sends_the_journalled_rows_again_and_keeps_their_keys()
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        var manifest = bed.PathFor("manifest.csv");
        // The state a crash leaves: the journal holds the rows of the batches in flight; the server made two of the
        // three (their answers were lost), and no manifest was put in place.
        string[] journalled = [Eui(first), Eui(first + 1), Eui(first + 2)];
        var keys = journalled.ToDictionary(d => d, _ => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        var codes = journalled.ToDictionary(d => d, d => "JOURNAL" + d[^9..]);
        File.WriteAllText(manifest + ".pending", "dev_eui,join_eui,mac_version,app_key,nwk_key,claim_authentication_code,vendor_id,vendor_profile_id\n"
            + string.Concat(journalled.Select(d => $"{d},{JoinEui},1.0.3,{keys[d]},,{codes[d]},,\n"))
            + $"{Eui(first + 3)},{JoinEui},1.0.3,ABCD");   // cut short by the crash: never sent
        await bed.ProvisionByApiAsync(key, journalled[0], codes[journalled[0]], keys[journalled[0]]);
        await bed.ProvisionByApiAsync(key, journalled[1], codes[journalled[1]], keys[journalled[1]]);
        var report = bed.PathFor("report.csv");

        var run = await bed.ProvisionAsync(key, first, 6, manifest, "--report", report, "--batch-size", "2");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("4 created, 2 already provisioned, 0 failed (6 of 6 devices).");
        ClaimReport.Read(report).Select(r => (r.DevEui, r.Status)).Should().Equal(
            (journalled[0], "already-provisioned"), (journalled[1], "already-provisioned"), (journalled[2], "created"),
            (Eui(first + 3), "created"), (Eui(first + 4), "created"), (Eui(first + 5), "created"));
        var rows = ReadManifest(manifest).ToDictionary(r => r.DevEui);
        rows.Should().HaveCount(6);
        foreach (var devEui in journalled)
        {
            (rows[devEui].AppKey, rows[devEui].Code).Should().Be((keys[devEui], codes[devEui]), "the journalled keys are the ones the device was made with");
        }
        rows[Eui(first + 3)].AppKey.Should().NotStartWith("ABCD", "the cut line is made afresh");
        (await bed.MakerViewAsync(key, Eui(first + 3))).Code.Should().Be(rows[Eui(first + 3)].Code);
        File.Exists(manifest + ".pending").Should().BeFalse();
    }

    [Theory]
    [InlineData("manifest.csv")]
    [InlineData("manifest.json")]
    public async Task A_rerun_of_a_finished_range_sends_nothing_and_redraws_only_missing_labels(string name)
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        var manifest = bed.PathFor(name);
        var labels = bed.PathFor("labels");
        (await bed.ProvisionAsync(key, first, 5, manifest, "--labels", labels)).ExitCode.Should().Be(0);
        var before = File.ReadAllText(manifest);
        var missing = Path.Combine(labels, Eui(first + 2) + ".png");
        File.Delete(missing);

        var rerun = await bed.ProvisionAsync(key, first, 5, manifest, "--labels", labels);

        rerun.ExitCode.Should().Be(0, rerun.Error);
        rerun.Out.Should().StartWith("0 created, 0 already provisioned, 0 failed (0 of 0 devices, 5 in the manifest already).");
        File.ReadAllText(manifest).Should().Be(before);
        (await ScanAsync([missing])).Should().Equal(ReadManifest(manifest)[2].Qr);
    }

    [Fact]
    public async Task A_rerun_that_is_interrupted_and_run_again_finishes_the_range_with_every_code_the_servers()
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        var manifest = bed.PathFor("manifest.csv");
        string[] args = ["--server", bed.Server.BaseAddress.ToString(), "--api-key", key, "devices", "provision", "--join-eui", JoinEui,
            "--dev-eui-start", Eui(first), "--count", "600", "--mac-version", "1.0.4", "--out", manifest, "--batch-size", "10", "--parallel", "4"];

        // Interrupted as Ctrl+C would, once the journal shows batches have gone out.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stderr = new StringWriter();
        var run = CustodianCli.RunAsync(args, new Cli.Output.CliConsole(TextWriter.Null, stderr) { Environment = _ => null }, interrupt.Token);
        while (!run.IsCompleted && (!File.Exists(manifest + ".pending") || File.ReadAllLines(manifest + ".pending").Length < 100))
        {
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }
        await interrupt.CancelAsync();
        var firstExit = await run;
        var rerun = await CliRun.RunAsync(args);

        firstExit.Should().Be(130, stderr.ToString());
        stderr.ToString().Should().Contain("Run the same command again to finish");
        rerun.ExitCode.Should().Be(0, rerun.Error);
        var rows = ReadManifest(manifest);
        rows.Select(r => r.DevEui).Order().Should().Equal(Enumerable.Range(0, 600).Select(i => Eui(first + (ulong)i)));
        foreach (var row in rows.Where((_, i) => i % 20 == 0))
        {
            (await bed.MakerViewAsync(key, row.DevEui)).Code.Should().Be(row.Code);
        }
    }

    [Fact]
    public async Task A_device_made_before_with_another_code_or_outside_the_makers_blocks_fails_alone_and_stays_out_of_the_manifest()
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        await bed.ProvisionByApiAsync(key, Eui(first + 1), "OTHERCODE1234");
        var outside = 0x00AB000000000000UL; // beyond the maker's block 00AA000000000000/16: another maker's DevEUIs, or none
        var manifest = bed.PathFor("manifest.csv");
        var labels = bed.PathFor("labels");

        var run = await bed.ProvisionAsync(key, first, 3, manifest, "--labels", labels);
        var beyond = await bed.ProvisionAsync(key, outside, 1, bed.PathFor("beyond.csv"));

        run.ExitCode.Should().Be(1, run.Error);
        run.Out.Should().StartWith("2 created, 0 already provisioned, 1 failed (3 of 3 devices).")
            .And.Contain($"device_exists: device {Eui(first + 1)} exists with another claim code");
        beyond.ExitCode.Should().Be(1, beyond.Error);
        beyond.Out.Should().StartWith("0 created, 0 already provisioned, 1 failed (1 of 1 devices).").And.Contain("dev_eui_outside_blocks");
        ReadManifest(manifest).Select(r => r.DevEui).Should().Equal(Eui(first), Eui(first + 2));
        File.Exists(Path.Combine(labels, Eui(first + 1) + ".png")).Should().BeFalse();
        (await bed.MakerViewAsync(key, Eui(first + 1))).Code.Should().Be("OTHERCODE1234", "the device made before is left as it was");
    }

    [Theory]
    [InlineData("--out", "manifest.txt", "--out must end in .csv or .json")]
    [InlineData("--count", "0", "--count must be between 1 and")]
    [InlineData("--mac-version", "1.2", "--mac-version '1.2'")]
    [InlineData("--vendor-id", "12345", "--vendor-id must be 4 hex digits")]
    [InlineData("--dev-eui-start", "FFFFFFFFFFFFFFFF", "runs past FFFFFFFFFFFFFFFF")]
    public async Task Bad_options_are_usage_errors_before_anything_is_sent(string option, string value, string message)
    {
        var key = await bed.MakerKeyAsync();
        var manifest = bed.PathFor("manifest.csv");
        var args = new List<string> { "--join-eui", JoinEui, "--dev-eui-start", Eui(FreshRange()), "--count", "3", "--mac-version", "1.0.3", "--out", manifest };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var run = await bed.DevicesAsync(key, ["provision", .. args]);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(message);
        File.Exists(manifest).Should().BeFalse();
    }

    [Fact]
    public async Task A_manifest_of_another_range_is_not_overwritten()
    {
        var key = await bed.MakerKeyAsync();
        var manifest = bed.PathFor("manifest.csv");
        (await bed.ProvisionAsync(key, FreshRange(), 2, manifest)).ExitCode.Should().Be(0);
        var before = File.ReadAllText(manifest);

        var run = await bed.ProvisionAsync(key, FreshRange(), 2, manifest);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("which is not in this range: choose another --out");
        File.ReadAllText(manifest).Should().Be(before);
    }

    [Fact]
    public async Task The_real_program_shows_progress_on_stderr_and_the_summary_on_stdout()
    {
        var key = await bed.MakerKeyAsync();
        var manifest = bed.PathFor("manifest.csv");

        var run = await CliRun.ProcessAsync(
            ["devices", "provision", "--join-eui", JoinEui, "--dev-eui-start", Eui(FreshRange()), "--count", "30", "--mac-version", "1.0.2", "--out", manifest, "--batch-size", "10"],
            new Dictionary<string, string> { ["CUSTODIAN_SERVER"] = bed.Server.BaseAddress.ToString(), ["CUSTODIAN_API_KEY"] = key });

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("30 created, 0 already provisioned, 0 failed (30 of 30 devices).");
        run.Error.Should().MatchRegex(@"Provisioning  \[#+\]  30/30 devices  100 ?%  [\d,]+ devices/s");
        ReadManifest(manifest).Should().HaveCount(30);
    }
}
