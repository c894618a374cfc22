using System.Security.Cryptography;
using Custodian.Cli.Tests.Claims;
using static Custodian.Cli.Tests.Devices.ProvisionWorld;

namespace Custodian.Cli.Tests.Devices;

/// <summary><c>custodian devices import</c> against a real server: a maker's own keys from CSV or JSON, bad rows, reruns.</summary>
public sealed class ImportCommandTests(ClaimTestBed bed) : IClassFixture<ClaimTestBed>
{
    [Fact]
    public async Task Bad_rows_fail_with_their_line_the_others_are_made_and_a_rerun_recognises_them()
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        var appKeys = Enumerable.Range(0, 4).Select(_ => Convert.ToHexString(RandomNumberGenerator.GetBytes(16))).ToList();
        var file = bed.WriteFile("devices.csv", string.Join('\n',
            "name;dev_eui;app_eui;lorawan_version;app_key;claim_authentication_code",
            $"first;{Eui(first)};{JoinEui};MAC_V1_0_3;{appKeys[0]};FIRSTCODE01",
            $"no code;{Eui(first + 1).ToLowerInvariant()};{JoinEui};1.0.4;{appKeys[1]};",
            "bad eui;00AA00ZZ00000000;" + JoinEui + ";1.0.3;" + appKeys[2] + ";",
            $"bad key;{Eui(first + 3)};{JoinEui};1.0.3;1234;",
            $"bad code;{Eui(first + 4)};{JoinEui};1.0.3;{appKeys[3]};NO-DASHES") + "\n");
        var report = bed.PathFor("report.csv");
        var manifest = bed.PathFor("manifest.csv");

        var run = await bed.DevicesAsync(key, "import", file, "--report", report, "--out", manifest, "--batch-size", "2");
        var rerun = await bed.DevicesAsync(key, "import", file);

        run.ExitCode.Should().Be(1, run.Error);
        run.Out.Should().StartWith("2 created, 0 already provisioned, 3 failed (5 of 5 devices).");
        var rows = ClaimReport.Read(report);
        rows.Select(r => (r.DevEui, r.Status)).Should().Equal(
            (Eui(first), "created"), (Eui(first + 1), "created"), ("", "failed"), (Eui(first + 3), "failed"), (Eui(first + 4), "failed"));
        rows[2].Error.Should().Be("line 4: dev_eui: '00AA00ZZ00000000' is not a DevEUI (16 hex digits)");
        rows[3].Error.Should().StartWith("line 5: invalid_field: ").And.Contain("appKey");
        rows[4].Error.Should().StartWith("line 6: claim_authentication_code: a claim code holds only letters A-Z and digits");
        var made = ReadManifest(manifest);
        made.Select(r => (r.DevEui, r.MacVersion, r.AppKey)).Should().Equal((Eui(first), "1.0.3", null), (Eui(first + 1), "1.0.4", null));
        made[0].Code.Should().Be("FIRSTCODE01");
        made[1].Code.Should().MatchRegex("^[A-Z0-9]{16}$", "the server made the code the row lacked");
        (await bed.MakerViewAsync(key, Eui(first + 1))).Code.Should().Be(made[1].Code);
        (run.Out + run.Error).Should().NotContain(appKeys[0]);

        rerun.ExitCode.Should().Be(1, rerun.Error);
        rerun.Out.Should().StartWith("0 created, 2 already provisioned, 3 failed (5 of 5 devices).");
    }

    [Fact]
    public async Task The_things_stack_end_devices_and_api_shaped_json_are_imported_with_labels()
    {
        var key = await bed.MakerKeyAsync();
        var first = FreshRange();
        var appKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var nwkKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var file = bed.WriteFile("devices.json", $$$"""
            [
              {"ids": {"device_id": "a", "dev_eui": "{{{Eui(first)}}}", "join_eui": "{{{JoinEui}}}"}, "lorawan_version": "MAC_V1_1",
               "root_keys": {"app_key": {"key": "{{{appKey}}}"}, "nwk_key": {"key": "{{{nwkKey}}}"}}, "claim_authentication_code": {"value": "TTSCODE0001"}},
              {"devEui": "{{{Eui(first + 1)}}}", "joinEui": "{{{JoinEui}}}", "macVersion": "1.0.2", "appKey": "{{{appKey}}}", "serialNumber": "SN-2"}
            ]
            """);
        var labels = bed.PathFor("labels");

        var run = await bed.DevicesAsync(key, "import", file, "--labels", labels);

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("2 created, 0 already provisioned, 0 failed (2 of 2 devices).");
        var texts = await ScanAsync([Path.Combine(labels, Eui(first) + ".png"), Path.Combine(labels, Eui(first + 1) + ".png")]);
        texts[0].Should().Contain($":{Eui(first)}:").And.EndWith("OTTSCODE0001");
        texts[1].Should().Contain($":{Eui(first + 1)}:").And.Contain(":SSN-2");
    }

    [Theory]
    [InlineData("devices.csv", "dev_eui,join_eui,app_key\n0018B20000000001,70B3D57ED0000010,00\n", "has no usable header row: expected a CSV header row naming dev_eui, join_eui (or app_eui) and mac_version")]
    [InlineData("devices.json", "dev_eui,join_eui,mac_version\n", "does not start with '[' or '{': expected a JSON array or stream of devices")]
    [InlineData("devices.csv", "", "is empty")]
    [InlineData("devices.json", "[{\"devEui\": \"0018B20000000001\"}, {\"devEui\": ", "line 1")]
    public async Task An_unusable_file_stops_at_once_and_sends_nothing(string name, string text, string message)
    {
        var key = await bed.MakerKeyAsync();
        var file = bed.WriteFile(name, text);

        var run = await bed.DevicesAsync(key, "import", file);

        run.ExitCode.Should().Be(2, run.Out);
        run.Error.Should().Contain(message).And.Contain(file);
        run.Out.Should().BeEmpty();
    }
}
