using System.Net;

namespace Custodian.Server.Tests;

public sealed class QrParseApiTests(RunningServer fixture) : IClassFixture<RunningServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_TR005_label_is_read_into_its_fields_for_any_key()
    {
        var reader = await Server.TenantAsync("qr-reader", "events:read"); // no device right: parsing reads nothing
        var (status, body) = await reader.PostAsync("/api/v1/qr/parse", new { qr = "LW:D0:70B3D57ED0000001:0004A30B001C0530:1A2B0C3D:OCLAIMCODE42:S0042\n" });

        status.Should().Be(HttpStatusCode.OK);
        body.Text("format").Should().Be("tr005");
        body.Text("joinEui").Should().Be("70B3D57ED0000001");
        body.Text("devEui").Should().Be("0004A30B001C0530");
        body.Text("vendorId").Should().Be("1A2B");
        body.Text("vendorProfileId").Should().Be("0C3D");
        body.Text("claimCode").Should().Be("CLAIMCODE42");
        body.Text("serialNumber").Should().Be("0042");
    }

    [Fact]
    public async Task A_bare_DevEUI_has_no_JoinEUI_or_claim_code()
    {
        var reader = await Server.TenantAsync("qr-reader-bare", "events:read");
        var (status, body) = await reader.PostAsync("/api/v1/qr/parse", new { qr = "0004a30b001c0530" });

        status.Should().Be(HttpStatusCode.OK);
        body.Text("format").Should().Be("dev_eui");
        body.Text("devEui").Should().Be("0004A30B001C0530");
        body.Text("joinEui").Should().BeNull();
        body.Text("claimCode").Should().BeNull();
    }

    [Theory]
    [InlineData("{\"qr\":\"HELLO\"}", "qr: ")]
    [InlineData("{}", "qr: required")]
    [InlineData("{\"qr\":42}", "$.qr")]
    public async Task Text_in_no_known_format_is_a_precise_400(string json, string expected)
    {
        var reader = await Server.TenantAsync($"qr-reader-bad-{json.Length}", "events:read");
        var (status, body) = await reader.PostRawAsync("/api/v1/qr/parse", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        body.Detail().Should().Contain(expected);
    }

    [Fact]
    public async Task Text_over_one_KiB_is_refused_with_its_size()
    {
        var reader = await Server.TenantAsync("qr-reader-long", "events:read");
        var (status, body) = await reader.PostAsync("/api/v1/qr/parse", new { qr = "LW:D0:" + new string('A', 1100) });

        status.Should().Be(HttpStatusCode.BadRequest);
        body.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        body.Detail().Should().Contain("1024");
    }

    [Fact]
    public async Task Without_a_key_the_parser_is_closed()
    {
        var (status, _) = await Server.Client().PostAsync("/api/v1/qr/parse", new { qr = "0004A30B001C0530" });
        status.Should().Be(HttpStatusCode.Unauthorized);
    }
}
