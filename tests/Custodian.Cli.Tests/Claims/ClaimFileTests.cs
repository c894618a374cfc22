using System.Text;
using System.Text.Json;
using Custodian.Cli.Output;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Cli.Tests.Claims;

/// <summary><c>custodian claim --file</c> against a real server: each file format, bad rows, unusable files, the report, a rerun.</summary>
public sealed class ClaimFileTests(ClaimTestBed bed) : IClassFixture<ClaimTestBed>
{
    [Fact]
    public async Task Csv_with_semicolons_claims_every_row_and_reports_them_in_input_order()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(25);
        var file = bed.WriteFile("devices.csv", Csv(';', "dev_eui;join_eui;claim_authentication_code", devices.Select(d => $"{d.DevEui};{d.JoinEui};{d.Code}")));
        var report = bed.PathFor("report.csv");

        // Small batches, several in flight: the report must still follow the file.
        var run = await bed.ClaimAsync(key, "--file", file, "--report", report, "--batch-size", "4", "--parallel", "3");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Contain("25 claimed, 0 already claimed by you, 0 failed (25 of 25 rows in").And.Contain($"Report: {report}");
        ClaimReport.Read(report).Should().Equal(devices.Select(d => (d.DevEui, "claimed", "")));
        (await bed.HomesAsync(key, devices)).Values.Should().HaveCount(25).And.AllBe(ClaimTestBed.NetId);
        (run.Out + run.Error + File.ReadAllText(report)).Should().NotContain(devices[0].Code);
    }

    [Fact]
    public async Task Csv_with_commas_app_eui_quotes_crlf_and_a_bom_prints_a_summary()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(6);
        var lines = devices.Select((d, i) => $"\"device {i}, \"\"the {i}th\"\"\",{d.DevEui.ToLowerInvariant()},{d.JoinEui},{d.Code},extra");
        var file = bed.WriteFile("devices.csv", "\uFEFF" + string.Join("\r\n", lines.Prepend("name,dev_eui,app_eui,claim_authentication_code,brand_id")) + "\r\n");

        var run = await bed.ClaimAsync(key, "--file", file);

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("6 claimed, 0 already claimed by you, 0 failed (6 of 6 rows in");
        (await bed.HomesAsync(key, devices)).Should().HaveCount(6);
    }

    [Fact]
    public async Task A_qr_code_column_claims_by_the_codes()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(5);
        var file = bed.WriteFile("codes.csv", Csv(',', "qr_code", devices.Select(d => d.Qr)));
        var report = bed.PathFor("report.csv");

        var run = await bed.ClaimAsync(key, "--file", file, "--report", report);

        run.ExitCode.Should().Be(0, run.Error);
        ClaimReport.Read(report).Should().Equal(devices.Select(d => (d.DevEui, "claimed", "")));
    }

    [Fact]
    public async Task The_things_stack_end_devices_json_is_claimed()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(4);
        var items = devices.Select((d, i) => JsonSerializer.Serialize(new
        {
            ids = new { device_id = $"eui-{d.DevEui.ToLowerInvariant()}", dev_eui = d.DevEui, join_eui = d.JoinEui, application_ids = new { application_id = "app" } },
            name = $"device {i}",
            claim_authentication_code = new { value = d.Code },
        }));
        // Two as an array, two as a concatenated stream: both shapes The Things Stack writes.
        var array = bed.WriteFile("devices.json", "[\n" + string.Join(",\n", items.Take(2)) + "\n]\n");
        var stream = bed.WriteFile("devices.json", string.Join("\n", items.Skip(2)));
        var report = bed.PathFor("report.csv");

        var first = await bed.ClaimAsync(key, "--file", array);
        var second = await bed.ClaimAsync(key, "--file", stream, "--report", report);

        first.ExitCode.Should().Be(0, first.Error);
        second.ExitCode.Should().Be(0, second.Error);
        ClaimReport.Read(report).Should().Equal(devices.Skip(2).Select(d => (d.DevEui, "claimed", "")));
        (await bed.HomesAsync(key, devices)).Should().HaveCount(4);
    }

    [Fact]
    public async Task Api_shaped_json_is_claimed_with_a_json_summary()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(4);
        var items = new object[]
        {
            new { qr = devices[0].Qr },
            new { joinEui = devices[1].JoinEui, devEui = devices[1].DevEui, claimCode = devices[1].Code },
            new { qr = devices[2].Qr },
            new { joinEui = devices[3].JoinEui, devEui = devices[3].DevEui, claimCode = devices[3].Code },
        };
        var file = bed.WriteFile("claims.json", JsonSerializer.Serialize(items));

        var run = await bed.ClaimAsync(key, "--file", file, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        var summary = JsonDocument.Parse(run.Out).RootElement;
        summary.GetProperty("rows").GetInt64().Should().Be(4);
        summary.GetProperty("claimed").GetInt64().Should().Be(4);
        summary.GetProperty("alreadyClaimed").GetInt64().Should().Be(0);
        summary.GetProperty("failed").GetInt64().Should().Be(0);
        summary.GetProperty("failures").GetArrayLength().Should().Be(0);
        (await bed.HomesAsync(key, devices)).Should().HaveCount(4);
    }

    [Fact]
    public async Task Bad_rows_and_wrong_codes_fail_with_their_line_and_the_rest_is_claimed()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(5);
        var lines = new[]
        {
            $"{devices[0].DevEui};{devices[0].JoinEui};{devices[0].Code}",
            $"0018B2XYZ;{devices[1].JoinEui};{devices[1].Code}",
            $"{devices[2].DevEui};{devices[2].JoinEui};WRONGCODE1234",
            $"{devices[3].DevEui};{devices[3].JoinEui};",
            $"{devices[4].DevEui};{devices[4].JoinEui};{devices[4].Code}",
        };
        var file = bed.WriteFile("devices.csv", Csv(';', "dev_eui;join_eui;claim_authentication_code", lines));
        var report = bed.PathFor("report.csv");

        var withReport = await bed.ClaimAsync(key, "--file", file, "--report", report, "--batch-size", "2");
        var summary = await bed.ClaimAsync(key, "--file", file);
        var json = await bed.ClaimAsync(key, "--file", file, "--json");

        withReport.ExitCode.Should().Be(1);
        var rows = ClaimReport.Read(report);
        rows.Should().HaveCount(5);
        rows[0].Should().Be((devices[0].DevEui, "claimed", ""));
        rows[1].Should().Be(("0018B2XYZ", "failed", "line 3: dev_eui: '0018B2XYZ' is not a DevEUI (16 hex digits)"));
        rows[2].DevEui.Should().Be(devices[2].DevEui);
        rows[2].Status.Should().Be("failed");
        rows[2].Error.Should().StartWith("claim_refused: ");
        rows[3].Should().Be((devices[3].DevEui, "failed", "line 5: no claim_authentication_code (and no qr_code)"));
        rows[4].Should().Be((devices[4].DevEui, "claimed", ""));
        File.ReadAllText(report).Should().NotContain("WRONGCODE1234");

        summary.ExitCode.Should().Be(1);
        summary.Out.Should().StartWith("0 claimed, 2 already claimed by you, 3 failed (5 of 5 rows in").And.Contain("Failures:");
        summary.Out.Should().MatchRegex(@"(?m)^3 +0018B2XYZ +line 3: dev_eui: '0018B2XYZ' is not a DevEUI")
            .And.MatchRegex($@"(?m)^4 +{devices[2].DevEui} +claim_refused: ")
            .And.MatchRegex($@"(?m)^5 +{devices[3].DevEui} +line 5: no claim_authentication_code");

        json.ExitCode.Should().Be(1);
        var failures = JsonDocument.Parse(json.Out).RootElement.GetProperty("failures").EnumerateArray().ToList();
        failures.Select(f => f.GetProperty("line").GetInt32()).Should().Equal(3, 4, 5);
        (await bed.HomesAsync(key, devices)).Keys.Should().BeEquivalentTo([devices[0].DevEui, devices[4].DevEui]);
    }

    [Fact]
    public async Task An_unknown_format_stops_at_once_and_sends_nothing()
    {
        var key = await bed.OwnerKeyAsync();
        var binary = bed.PathFor("devices.xlsx");
        await File.WriteAllBytesAsync(binary, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00], TestContext.Current.CancellationToken);
        var notJson = bed.WriteFile("devices.json", "dev_eui,join_eui\n");

        var run = await bed.ClaimAsync(key, "--file", binary);
        var json = await bed.ClaimAsync(key, "--file", notJson);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("is not a text file: expected CSV (a header row naming the columns dev_eui, join_eui (or app_eui) and claim_authentication_code, or qr_code")
            .And.Contain("or JSON (an array or stream of The Things Stack end devices");
        run.Out.Should().BeEmpty();
        json.ExitCode.Should().Be(2);
        json.Error.Should().Contain("does not start with '[' or '{'");
    }

    [Fact]
    public async Task A_file_without_a_usable_header_or_broken_halfway_sends_nothing()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(3);
        var noHeader = bed.WriteFile("devices.csv", Csv(',', $"{devices[0].DevEui},{devices[0].JoinEui},{devices[0].Code}", devices.Skip(1).Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}")));
        var noCode = bed.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui", devices.Select(d => $"{d.DevEui},{d.JoinEui}")));
        var brokenAtTheEnd = bed.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui,claim_authentication_code", devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}").Append("\"unclosed")));
        var report = bed.PathFor("report.csv");

        var runs = new[]
        {
            await bed.ClaimAsync(key, "--file", noHeader),
            await bed.ClaimAsync(key, "--file", noCode),
            await bed.ClaimAsync(key, "--file", brokenAtTheEnd, "--report", report),
        };

        runs.Should().AllSatisfy(run => run.ExitCode.Should().Be(2));
        runs[0].Error.Should().Contain("has no usable header row: expected a header row naming the columns dev_eui, join_eui (or app_eui) and claim_authentication_code, or qr_code")
            .And.NotContain(devices[0].Code);
        runs[1].Error.Should().Contain("has no usable header row");
        runs[2].Error.Should().Contain("line 5: a quoted field is not closed before the end of the file");
        File.Exists(report).Should().BeFalse();
        (await bed.HomesAsync(key, devices)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_is_a_usage_error_before_anything_is_sent()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(1);
        var file = bed.WriteFile("devices.csv", Csv(',', "qr_code", devices.Select(d => d.Qr)));

        var run = await bed.ClaimAsync(key, "--file", file, "--report", Path.Combine(bed.PathFor("missing-directory"), "report.csv"));

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("Cannot write the report");
        (await bed.HomesAsync(key, devices)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_batch_the_server_refuses_whole_fails_its_rows_with_the_reason_and_the_import_goes_on()
    {
        // Bodies over 400 bytes are refused (413): a batch of six claims is, a batch of one claim is not.
        await using var small = await ClaimTestBed.StartAsync(configureServices: services => services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = 400));
        var key = await small.OwnerKeyAsync();
        var devices = new List<TestDevice>();
        for (var i = 0; i < 7; i++)
        {
            devices.AddRange(await small.ProvisionAsync(1));
        }
        var lines = devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}").Concat(Enumerable.Repeat("NOTANEUI,,", 5));
        var file = small.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui,claim_authentication_code", lines));
        var report = small.PathFor("report.csv");

        var run = await small.ClaimAsync(key, "--file", file, "--report", report, "--batch-size", "6", "--parallel", "1");

        run.ExitCode.Should().Be(1, run.Error);
        var rows = ClaimReport.Read(report);
        rows.Should().HaveCount(12);
        rows.Take(6).Should().AllSatisfy(row => row.Should().Match<(string DevEui, string Status, string Error)>(r => r.Status == "failed" && r.Error == "invalid_request: The request could not be read."));
        rows[6].Should().Be((devices[6].DevEui, "claimed", ""));
        rows.Skip(7).Select(r => r.Error).Should().Equal(Enumerable.Range(9, 5).Select(line => $"line {line}: dev_eui: 'NOTANEUI' is not a DevEUI (16 hex digits)"));
        (await small.HomesAsync(key, devices)).Keys.Should().Equal(devices[6].DevEui);
    }

    [Fact]
    public async Task Rate_limited_batches_are_waited_out_and_every_row_is_claimed()
    {
        // A key may send two claim requests at once, then one every 100 ms: six batches, four in flight, meet 429s.
        await using var limited = await ClaimTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Claims:RateLimit:ApiKeyBurst"] = "2",
            ["Custodian:Claims:RateLimit:ApiKeyRequestsPerMinute"] = "600",
        });
        var key = await limited.OwnerKeyAsync();
        var devices = await limited.ProvisionAsync(12);
        var file = limited.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui,claim_authentication_code", devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}")));
        var report = limited.PathFor("report.csv");

        var run = await limited.ClaimAsync(key, "--file", file, "--report", report, "--batch-size", "2", "--parallel", "4");

        run.ExitCode.Should().Be(0, run.Error);
        ClaimReport.Read(report).Should().Equal(devices.Select(d => (d.DevEui, "claimed", "")));
        var metrics = await limited.Server.Client().GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        metrics.Should().MatchRegex(@"custodian_claim_requests_rate_limited_total\{limit=""api_key""\} [1-9]");
    }

    [Fact]
    public async Task An_unreachable_server_stops_the_import_with_exit_2_and_reports_the_rows_tried()
    {
        var devices = await bed.ProvisionAsync(3);
        var file = bed.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui,claim_authentication_code", devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}")));
        var report = bed.PathFor("report.csv");

        var run = await CliRun.RunAsync(["--server", "http://127.0.0.1:9", "--api-key", "k", "--retries", "0",
            "claim", "--net-id", ClaimTestBed.NetId, "--file", file, "--report", report, "--batch-size", "2", "--parallel", "1"]);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("Stopped: Cannot reach http://127.0.0.1:9/").And.Contain("after 2 of 3 rows. Run the same command again to finish");
        ClaimReport.Read(report).Should().HaveCount(2).And.AllSatisfy(row => row.Error.Should().StartWith("Cannot reach"));
    }

    [Fact]
    public async Task A_rerun_after_an_interruption_finishes_the_rest_and_reports_every_row()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(1_000);
        var file = bed.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui,claim_authentication_code", devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}")));
        var firstReport = bed.PathFor("first.csv");
        var report = bed.PathFor("report.csv");
        string[] args = ["--server", bed.Server.BaseAddress.ToString(), "--api-key", key, "claim", "--net-id", ClaimTestBed.NetId, "--file", file,
            "--batch-size", "5", "--parallel", "1"];

        // Interrupted as Ctrl+C would: the token is cancelled once the server holds some of the claims.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var first = CustodianCli.RunAsync([.. args, "--report", firstReport], new CliConsole(stdout, stderr) { Environment = _ => null }, interrupt.Token);
        // Four batches stored by the server means (one batch in flight at a time) three answered to the CLI.
        while (!first.IsCompleted && (await bed.HomesAsync(key, devices)).Count < 20)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        await interrupt.CancelAsync();
        var firstExit = await first;
        var rerun = await CliRun.RunAsync([.. args, "--report", report]);

        firstExit.Should().Be(130, stderr.ToString());
        stderr.ToString().Should().Contain("Interrupted after").And.Contain("Run the same command again to finish");
        var done = ClaimReport.Read(firstReport);
        done.Should().HaveCountGreaterThanOrEqualTo(15).And.HaveCountLessThan(1_000);
        done.Should().Equal(devices.Take(done.Count).Select(d => (d.DevEui, "claimed", "")));

        rerun.ExitCode.Should().Be(0, rerun.Error);
        var rows = ClaimReport.Read(report);
        rows.Select(r => r.DevEui).Should().Equal(devices.Select(d => d.DevEui));
        // Batches went out one at a time, in order: what the first run did is a prefix, the rerun did the rest.
        var already = rows.TakeWhile(row => row.Status == "already-claimed").Count();
        already.Should().BeGreaterThanOrEqualTo(done.Count).And.BeLessThan(1_000);
        rows.Skip(already).Should().AllSatisfy(row => row.Should().Be((row.DevEui, "claimed", "")));
        rerun.Out.Should().StartWith($"{1_000 - already:N0} claimed, {already:N0} already claimed by you, 0 failed (1,000 of 1,000 rows");
        (await bed.HomesAsync(key, devices)).Should().HaveCount(1_000);
    }

    [Fact]
    public async Task The_real_program_shows_progress_on_stderr_and_the_summary_on_stdout()
    {
        var key = await bed.OwnerKeyAsync();
        var devices = await bed.ProvisionAsync(40);
        var file = bed.WriteFile("devices.csv", Csv(',', "dev_eui,join_eui,claim_authentication_code", devices.Select(d => $"{d.DevEui},{d.JoinEui},{d.Code}")));

        var run = await CliRun.ProcessAsync(["claim", "--net-id", ClaimTestBed.NetId, "--file", file, "--batch-size", "10"],
            new Dictionary<string, string> { ["CUSTODIAN_SERVER"] = bed.Server.BaseAddress.ToString(), ["CUSTODIAN_API_KEY"] = key });

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Be($"40 claimed, 0 already claimed by you, 0 failed (40 of 40 rows in {Path.GetFileName(file)}).\n");
        run.Error.Should().MatchRegex(@"Claiming  \[#+\]  40/40 devices  100 ?%  [\d,]+ devices/s");
        (await bed.HomesAsync(key, devices)).Should().HaveCount(40);
    }

    private static string Csv(char separator, string header, IEnumerable<string> lines)
    {
        _ = separator;
        var text = new StringBuilder(header).Append('\n');
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }
}
