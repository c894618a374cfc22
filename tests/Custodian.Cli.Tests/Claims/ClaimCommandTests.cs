using System.Text.Json;

namespace Custodian.Cli.Tests.Claims;

/// <summary><c>custodian claim</c> for one device, each way of naming it, against a real server.</summary>
public sealed class ClaimCommandTests(ClaimTestBed bed) : IClassFixture<ClaimTestBed>
{
    [Fact]
    public async Task A_qr_code_claims_the_device_then_says_it_is_already_yours()
    {
        var key = await bed.OwnerKeyAsync();
        var device = (await bed.ProvisionAsync(1))[0];

        var first = await bed.ClaimAsync(key, "--qr", device.Qr, "--ns-id", ClaimTestBed.NsId);
        var again = await bed.ClaimAsync(key, "--qr", device.Qr, "--ns-id", ClaimTestBed.NsId);

        first.ExitCode.Should().Be(0, first.Error);
        first.Out.Should().StartWith($"Claimed {device.DevEui}.").And.Contain("Home network:       NetID 000013, NSID " + ClaimTestBed.NsId + "")
            .And.MatchRegex("Join Server: +\\S+");
        again.ExitCode.Should().Be(0, again.Error);
        again.Out.Should().StartWith($"{device.DevEui} was already claimed by you.");
        (first.Out + first.Error).Should().NotContain(device.Code);
        (await bed.HomesAsync(key, [device])).Should().Equal(new Dictionary<string, string> { [device.DevEui] = "000013" });
    }

    [Fact]
    public async Task Euis_and_code_claim_the_device_with_json_output()
    {
        var key = await bed.OwnerKeyAsync();
        var device = (await bed.ProvisionAsync(1))[0];
        var spaced = string.Join('-', device.DevEui.Chunk(2).Select(pair => new string(pair)));

        var run = await bed.ClaimAsync(key, "--join-eui", device.JoinEui, "--dev-eui", spaced, "--code", device.Code.ToLowerInvariant(), "--as-id", ClaimTestBed.AsId, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        var json = JsonDocument.Parse(run.Out).RootElement;
        json.GetProperty("status").GetString().Should().Be("claimed");
        json.GetProperty("devEui").GetString().Should().Be(device.DevEui);
        json.GetProperty("homeNetId").GetString().Should().Be("000013");
        json.GetProperty("asId").GetString().Should().Be(ClaimTestBed.AsId);
        json.GetProperty("joinServer").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_photo_of_the_label_claims_the_device()
    {
        var key = await bed.OwnerKeyAsync();
        var device = (await bed.ProvisionAsync(1))[0];
        var png = bed.PathFor("label.png");
        CliRun.Of("qr", "render", device.Qr, "--out", png).ExitCode.Should().Be(0);

        var run = await bed.ClaimAsync(key, "--image", png);

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith($"Claimed {device.DevEui}.");
        (run.Out + run.Error).Should().NotContain(device.Code);
        (await bed.HomesAsync(key, [device])).Should().ContainKey(device.DevEui);
    }

    [Fact]
    public async Task An_image_without_a_qr_code_fails_and_a_missing_image_is_a_usage_error()
    {
        var key = await bed.OwnerKeyAsync();
        var notAnImage = bed.WriteFile("photo.png", "not a picture");

        var unreadable = await bed.ClaimAsync(key, "--image", notAnImage);
        var missing = await bed.ClaimAsync(key, "--image", bed.PathFor("missing.png"));

        unreadable.ExitCode.Should().Be(1);
        unreadable.Error.Should().Contain("is not an image");
        missing.ExitCode.Should().Be(2);
        missing.Error.Should().Contain("No such file");
    }

    [Fact]
    public async Task A_key_that_may_claim_but_not_read_claims_and_says_the_details_are_hidden()
    {
        var key = await bed.Server.ApiKeyAsync("owner", "devices:claim");
        var device = (await bed.ProvisionAsync(1))[0];

        var run = await bed.ClaimAsync(key, "--qr", device.Qr);

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Be($"Claimed {device.DevEui}.\n");
        run.Error.Should().Contain("The claim's details are not shown: ");
        (await bed.HomesAsync(await bed.OwnerKeyAsync(), [device])).Should().ContainKey(device.DevEui);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_with_exit_1()
    {
        var key = await bed.OwnerKeyAsync();
        var device = (await bed.ProvisionAsync(1))[0];

        var run = await bed.ClaimAsync(key, "--join-eui", device.JoinEui, "--dev-eui", device.DevEui, "--code", "WRONGCODE123");
        var json = await bed.ClaimAsync(key, "--join-eui", device.JoinEui, "--dev-eui", device.DevEui, "--code", "WRONGCODE123", "--json");

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith($"{device.DevEui}: claim_refused:");
        run.Error.Should().NotContain("WRONGCODE123");
        json.ExitCode.Should().Be(1);
        var answer = JsonDocument.Parse(json.Out).RootElement;
        answer.GetProperty("status").GetString().Should().Be("failed");
        answer.GetProperty("error").GetString().Should().StartWith("claim_refused:");
        (await bed.HomesAsync(key, [device])).Should().BeEmpty();
    }

    [Fact]
    public async Task A_malformed_qr_code_is_refused_by_the_server_with_its_reason()
    {
        var key = await bed.OwnerKeyAsync();

        var run = await bed.ClaimAsync(key, "--qr", "LW:D0:NOT-A-CODE");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("invalid_field: qr:");
    }

    [Theory]
    [InlineData(new[] { "claim", "--net-id", "000013" }, "Say which devices to claim")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--qr", "X", "--image", "a.png" }, "Give only one of")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--qr", "X", "--file", "a.csv" }, "Give only one of")]
    [InlineData(new[] { "claim", "--qr", "X" }, "--net-id")]
    [InlineData(new[] { "claim", "--net-id", "00001G", "--qr", "X" }, "--net-id '00001G' is not a NetID")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--dev-eui", "0018B20000000101" }, "missing: --join-eui, --code")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--dev-eui", "0018B2000000010", "--join-eui", "70B3D57ED0000010", "--code", "ABCDEF" }, "--dev-eui '0018B2000000010' is not an EUI")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--qr", "X", "--report", "r.csv" }, "apply to --file only")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--file", "a.csv", "--batch-size", "10001" }, "--batch-size must be between 1 and 10000")]
    [InlineData(new[] { "claim", "--net-id", "000013", "--file", "a.csv", "--parallel", "0" }, "--parallel must be between 1 and 32")]
    public void Usage_errors_exit_2_with_a_clear_message(string[] args, string message)
    {
        var run = CliRun.Of(args);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(message).And.Contain("Try 'custodian claim --help'.");
    }
}
