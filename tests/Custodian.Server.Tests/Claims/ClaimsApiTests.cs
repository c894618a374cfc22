using System.Net;
using System.Text.Json;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

public sealed class ClaimsApiTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_claim_is_201_with_its_status_then_200_and_the_status_is_the_owners_only()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var stranger = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();

        var (status, body, response) = await owner.SendAsync(HttpMethod.Post, "/api/v1/claims", ClaimsWorld.Claim(device, NetA, asId: AsId));

        status.Should().Be(HttpStatusCode.Created, body.ToString());
        response.Headers.Location!.ToString().Should().Be($"/api/v1/claims/{device.DevEui}");
        body.Text("devEui").Should().Be(device.DevEui);
        body.Text("joinEui").Should().Be(device.JoinEui);
        body.Text("homeNetId").Should().Be(NetA);
        body.Text("asId").Should().Be(AsId);
        body.TryGetProperty("homeNsId", out _).Should().BeFalse();
        body.GetProperty("locked").GetBoolean().Should().BeTrue();
        body.GetProperty("claimedAt").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        body.Text("joinServer").Should().Be("local");
        body.ToString().Should().NotContain(device.ClaimCode);

        var (again, againBody) = await owner.ClaimAsync(device, NetA, asId: AsId);
        again.Should().Be(HttpStatusCode.OK, "claiming again as asked changes nothing");
        againBody.Text("claimedAt").Should().Be(body.Text("claimedAt"));

        var (read, readBody) = await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}");
        read.Should().Be(HttpStatusCode.OK);
        readBody.ToString().Should().Be(body.ToString());
        var (hidden, hiddenBody) = await stranger.GetJsonAsync($"/api/v1/claims/{device.DevEui}");
        hiddenBody.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");
        hidden.Should().Be(HttpStatusCode.NotFound);
        (await maker.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NotFound, "the claim is the owner's, not the maker's");
    }

    [Fact]
    public async Task A_claim_by_QR_text_and_a_move_to_another_network_is_201()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();

        var (status, body) = await owner.PostAsync("/api/v1/claims", new { qr = device.Qr, homeNetId = NetA });
        var (moved, movedBody) = await owner.PostAsync("/api/v1/claims", new { qr = device.Qr, homeNetId = NetB });

        status.Should().Be(HttpStatusCode.Created, body.ToString());
        body.Text("devEui").Should().Be(device.DevEui);
        moved.Should().Be(HttpStatusCode.Created, "a new home network is a new claim");
        movedBody.Text("homeNetId").Should().Be(NetB);
    }

    [Fact]
    public async Task An_unknown_device_and_a_wrong_code_get_the_same_answer()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        var unknown = device with { DevEui = ClaimsWorld.NextDevEui() };

        var (wrongStatus, wrong) = await owner.ClaimAsync(device, NetA, code: "WRONGCODE123");
        var (unknownStatus, missing) = await owner.ClaimAsync(unknown, NetA, code: "WRONGCODE123");
        var (claimedWrongStatus, claimedWrong) = await ClaimedByOtherAsync(maker, "WRONGCODE123");

        foreach (var (status, problem) in new[] { (wrongStatus, wrong), (unknownStatus, missing), (claimedWrongStatus, claimedWrong) })
        {
            status.Should().Be(HttpStatusCode.Forbidden);
            problem.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        }
        wrong.Detail().Replace(device.DevEui, "X", StringComparison.Ordinal).Should().Be(missing.Detail().Replace(unknown.DevEui, "X", StringComparison.Ordinal));
        Names(wrong).Should().Equal(Names(missing));
        Names(wrong).Should().Equal(Names(claimedWrong));
        wrong.GetProperty("title").GetString().Should().Be(missing.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_device_claimed_by_another_is_409_only_with_the_right_code()
    {
        var maker = await fixture.MakerAsync();
        var device = await maker.ProvisionOneAsync();
        var first = await fixture.OwnerAsync();
        var second = await fixture.OwnerAsync();
        (await first.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);

        var (wrong, wrongProblem) = await second.ClaimAsync(device, NetB, code: "WRONGCODE123");
        var (right, rightProblem) = await second.ClaimAsync(device, NetB);

        wrong.Should().Be(HttpStatusCode.Forbidden);
        wrongProblem.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        right.Should().Be(HttpStatusCode.Conflict);
        rightProblem.ShouldBeProblem(HttpStatusCode.Conflict, "device_claimed");
        (await first.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Body.Text("homeNetId").Should().Be(NetA);
    }

    [Fact]
    public async Task The_home_network_and_AS_must_be_registered()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();

        var (network, networkProblem) = await owner.ClaimAsync(device, "0000FF");
        var (applicationServer, asProblem) = await owner.ClaimAsync(device, NetA, asId: "nobody-as");

        network.Should().Be(HttpStatusCode.NotFound);
        networkProblem.ShouldBeProblem(HttpStatusCode.NotFound, "network_not_found");
        applicationServer.Should().Be(HttpStatusCode.NotFound);
        asProblem.ShouldBeProblem(HttpStatusCode.NotFound, "application_server_not_found");
    }

    [Theory]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0XYZ\",\"claimCode\":\"ABCDEF12\",\"homeNetId\":\"0000C1\"}", "devEui:")]
    [InlineData("{\"joinEui\":\"70B3D57ED00000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"ABCDEF12\",\"homeNetId\":\"0000C1\"}", "joinEui:")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"ABC-DEF12\",\"homeNetId\":\"0000C1\"}", "claimCode:")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"ABC12\",\"homeNetId\":\"0000C1\"}", "claimCode:")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"A234567890123456789012345678901234\",\"homeNetId\":\"0000C1\"}", "claimCode:")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"homeNetId\":\"0000C1\"}", "claimCode:")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":123456,\"homeNetId\":\"0000C1\"}", "claimCode: expected a string, got a number.")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":[1],\"claimCode\":\"ABCDEF12\",\"homeNetId\":\"0000C1\"}", "devEui: expected a string, got an array.")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"ABCDEF12\",\"homeNetId\":true}", "homeNetId: expected a string, got a boolean.")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"ABCDEF12\"}", "homeNetId:")]
    [InlineData("{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00C0000000000001\",\"claimCode\":\"ABCDEF12\",\"homeNetId\":\"0000C1\",\"asId\":\"has space\"}", "asId:")]
    [InlineData("{\"qr\":\"THIS IS NOT A LORAWAN QR CODE\",\"homeNetId\":\"0000C1\"}", "qr:")]
    public async Task Bad_input_is_a_400_naming_the_field(string json, string detail)
    {
        var owner = await fixture.OwnerAsync();

        var (status, problem) = await owner.PostRawAsync("/api/v1/claims", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith(detail);
        problem.Detail().Should().NotContain("ABCDEF12", "a code is never echoed");
    }

    [Fact]
    public async Task QR_text_over_1_KiB_is_a_400()
    {
        var owner = await fixture.OwnerAsync();

        var (status, problem) = await owner.PostAsync("/api/v1/claims", new { qr = "LW:D0:70B3D57ED0000000:00C0000000000001:" + new string('A', 1100), homeNetId = NetA });

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith("qr:").And.Contain("1024");
    }

    [Theory]
    [InlineData("[1,2]", "The body is an array")]
    [InlineData("\"text\"", "The body is a string")]
    [InlineData("{\"devEui\": ", "The body is not valid JSON")]
    public async Task A_body_that_is_not_a_claim_object_is_a_400(string json, string detail)
    {
        var owner = await fixture.OwnerAsync();

        var (status, problem) = await owner.PostRawAsync("/api/v1/claims", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request");
        problem.Detail().Should().StartWith(detail);
    }

    [Fact]
    public async Task The_claim_endpoints_need_their_rights()
    {
        var reader = (await fixture.TenantAsync("reader", "events:read")).Client;

        using var claim = await reader.PostAsync("/api/v1/claims", JsonContent(new { qr = "x" }), TestContext.Current.CancellationToken);
        using var batch = await reader.PostAsync("/api/v1/claims/batch", JsonContent(new { claims = new[] { new { qr = "x" } } }), TestContext.Current.CancellationToken);
        using var list = await reader.GetAsync("/api/v1/claims", TestContext.Current.CancellationToken);
        using var status = await reader.GetAsync("/api/v1/claims/00C0000000000001", TestContext.Current.CancellationToken);
        using var unclaim = await reader.DeleteAsync("/api/v1/claims/00C0000000000001", TestContext.Current.CancellationToken);
        using var anonymous = await Server.Client().GetAsync("/api/v1/claims", TestContext.Current.CancellationToken);

        (await claim.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("devices:claim");
        (await batch.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("devices:claim");
        (await list.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("devices:read");
        (await status.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("devices:read");
        (await unclaim.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("devices:unclaim");
        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task The_list_is_the_owners_devices_paged_by_DevEUI()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(5);
        foreach (var device in devices)
        {
            (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        }

        var (firstStatus, first) = await owner.GetJsonAsync("/api/v1/claims?limit=3");
        var (_, second) = await owner.GetJsonAsync($"/api/v1/claims?limit=3&after={first.Text("next")}");
        var (_, all) = await owner.GetJsonAsync("/api/v1/claims");
        var (_, others) = await (await fixture.OwnerAsync()).GetJsonAsync("/api/v1/claims");

        firstStatus.Should().Be(HttpStatusCode.OK);
        var expected = devices.Select(d => d.DevEui).Order(StringComparer.Ordinal).ToList();
        DevEuis(first).Should().Equal(expected.Take(3));
        first.Text("next").Should().Be(expected[2]);
        DevEuis(second).Should().Equal(expected.Skip(3));
        second.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null, "the last page says so");
        DevEuis(all).Should().Equal(expected);
        DevEuis(others).Should().BeEmpty();
        all.GetProperty("claims")[0].Text("joinServer").Should().Be("local");
    }

    [Theory]
    [InlineData("?limit=0", "limit:")]
    [InlineData("?limit=1001", "limit:")]
    [InlineData("?limit=x", "limit:")]
    [InlineData("?after=nope", "after:")]
    public async Task Bad_paging_is_a_400(string query, string detail)
    {
        var owner = await fixture.OwnerAsync();

        var (status, problem) = await owner.GetJsonAsync("/api/v1/claims" + query);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith(detail);
    }

    [Fact]
    public async Task Unclaim_is_204_and_then_404_and_bad_input_is_400()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        await owner.ClaimAsync(device, NetA);

        var (strangerStatus, strangerProblem, _) = await (await fixture.OwnerAsync()).SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}");
        var (status, body, _) = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}");
        var (again, againProblem, _) = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}");
        var (badEui, badEuiProblem, _) = await owner.SendAsync(HttpMethod.Delete, "/api/v1/claims/12345");
        var (badFlag, badFlagProblem, _) = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}?newClaimCode=yes");

        strangerStatus.Should().Be(HttpStatusCode.NotFound);
        strangerProblem.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");
        status.Should().Be(HttpStatusCode.NoContent);
        body.ValueKind.Should().Be(JsonValueKind.Undefined);
        again.Should().Be(HttpStatusCode.NotFound);
        againProblem.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");
        badEui.Should().Be(HttpStatusCode.BadRequest);
        badEuiProblem.Detail().Should().StartWith("devEui:");
        badFlag.Should().Be(HttpStatusCode.BadRequest);
        badFlagProblem.Detail().Should().StartWith("newClaimCode:");
        (await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Transfer_is_unclaim_with_a_new_code_then_a_claim_by_the_next_owner_and_all_of_it_is_audited()
    {
        var maker = await fixture.MakerAsync();
        var first = await fixture.OwnerAsync();
        var next = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        (await first.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);

        var (status, body, _) = await first.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}?newClaimCode=true");

        status.Should().Be(HttpStatusCode.OK);
        body.Text("devEui").Should().Be(device.DevEui);
        var newCode = body.Text("claimCode")!;
        newCode.Should().MatchRegex("^[A-Z0-9]{16}$").And.NotBe(device.ClaimCode);
        (await next.ClaimAsync(device, NetB)).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        (await next.ClaimAsync(device, NetB, code: newCode)).Status.Should().Be(HttpStatusCode.Created);
        (await maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}")).Body.Text("claimCode").Should().BeNull("the maker no longer reads the code of a device another owns");

        var firstEvents = await first.EventsAsync(device.DevEui);
        firstEvents.Select(e => e.Text("type")).Should().Equal("device.claim_code_rotated", "claim.unclaimed", "claim.succeeded");
        var nextEvents = await next.EventsAsync(device.DevEui);
        nextEvents.Select(e => e.Text("type")).Should().Equal("claim.succeeded", "claim.failed");
        nextEvents[1].Text("code").Should().Be("claim_refused");
        var makerEvents = await maker.EventsAsync(device.DevEui);
        makerEvents.Count(e => e.Text("type") == "device.claimed").Should().Be(2);
        makerEvents.Should().OnlyContain(e => e.Text("actor") != null);
        foreach (var e in firstEvents.Concat(nextEvents).Concat(makerEvents))
        {
            e.ToString().Should().NotContain(newCode).And.NotContain(device.ClaimCode);
        }
        Server.Logs.All.Should().NotContain(newCode).And.NotContain(device.ClaimCode);
    }

    [Fact]
    public async Task A_pre_activated_device_is_the_makers_claim_which_it_can_unclaim()
    {
        var maker = (await fixture.TenantAsync("maker", [.. ClaimsWorld.MakerRights, .. ClaimsWorld.OwnerRights])).Client;
        var devEui = ClaimsWorld.NextDevEui();
        var (created, createdBody) = await maker.PostAsync("/api/v1/devices", new { joinEui = ClaimsWorld.JoinEui, devEui, macVersion = "1.0.3", homeNetId = NetA });
        created.Should().Be(HttpStatusCode.Created, createdBody.ToString());
        var owner = await fixture.OwnerAsync();
        var device = new ProvisionedClaim(devEui, ClaimsWorld.JoinEui, createdBody.Text("claimCode")!, createdBody.Text("qr")!);

        (await maker.GetJsonAsync($"/api/v1/claims/{devEui}")).Body.Text("homeNetId").Should().Be(NetA);
        (await owner.ClaimAsync(device, NetB)).Status.Should().Be(HttpStatusCode.Conflict);
        (await maker.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{devEui}")).Status.Should().Be(HttpStatusCode.NoContent);
        (await owner.ClaimAsync(device, NetB)).Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_JoinEUI_is_described_to_any_key()
    {
        var reader = (await fixture.TenantAsync("reader", "events:read")).Client;

        var (status, body) = await reader.GetJsonAsync("/api/v1/join-euis/70b3d57ed0000000");
        var (bad, problem) = await reader.GetJsonAsync("/api/v1/join-euis/70B3D57ED00000");
        using var anonymous = await Server.Client().GetAsync("/api/v1/join-euis/70B3D57ED0000000", TestContext.Current.CancellationToken);

        status.Should().Be(HttpStatusCode.OK);
        body.Text("joinEui").Should().Be("70B3D57ED0000000");
        body.GetProperty("claimable").GetBoolean().Should().BeTrue();
        body.Text("joinServer").Should().Be("local");
        bad.Should().Be(HttpStatusCode.BadRequest);
        problem.Detail().Should().StartWith("joinEui:");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_counters_count_claims_unclaims_and_rotations_and_logs_name_the_DevEUI_never_the_code()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        var before = Counters(await Server.MetricsAsync());

        await owner.ClaimAsync(device, NetA);
        await owner.ClaimAsync(device, NetA);
        await owner.ClaimAsync(device with { DevEui = ClaimsWorld.NextDevEui() }, NetA, code: "WRONGCODE123");
        await owner.PostRawAsync("/api/v1/claims", "{\"qr\": 5}");
        await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}?newClaimCode=true");
        await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}");

        var text = await Server.MetricsAsync();
        var after = Counters(text);
        text.Should().Contain("# TYPE custodian_claims_total counter").And.Contain("# TYPE custodian_unclaims_total counter").And.Contain("# TYPE custodian_claim_codes_rotated_total counter");
        Delta("custodian_claims_total{result=\"claimed\"}").Should().Be(1);
        Delta("custodian_claims_total{result=\"already_claimed\"}").Should().Be(1);
        Delta("custodian_claims_total{result=\"claim_refused\"}").Should().Be(1);
        Delta("custodian_claims_total{result=\"invalid_field\"}").Should().Be(1);
        Delta("custodian_unclaims_total{result=\"unclaimed\"}").Should().Be(1);
        Delta("custodian_unclaims_total{result=\"device_not_found\"}").Should().Be(1);
        Delta("custodian_claim_codes_rotated_total").Should().Be(1);

        var claimLogs = Server.Logs.Lines.Where(l => l.Contains("[1100]", StringComparison.Ordinal) && l.Contains(device.DevEui, StringComparison.Ordinal)).ToList();
        claimLogs.Should().HaveCount(2);
        claimLogs.Should().OnlyContain(l => l.Contains("DevEUI", StringComparison.Ordinal));
        Server.Logs.Lines.Should().Contain(l => l.Contains("[1110]", StringComparison.Ordinal) && l.Contains(device.DevEui, StringComparison.Ordinal));
        Server.Logs.All.Should().NotContain(device.ClaimCode).And.NotContain("WRONGCODE123");

        double Delta(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
    }

    private async Task<(HttpStatusCode, JsonElement)> ClaimedByOtherAsync(HttpClient maker, string code)
    {
        var device = await maker.ProvisionOneAsync();
        (await (await fixture.OwnerAsync()).ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        return await (await fixture.OwnerAsync()).ClaimAsync(device, NetA, code: code);
    }

    private static List<string> Names(JsonElement problem) => [.. problem.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static List<string?> DevEuis(JsonElement page) => [.. page.GetProperty("claims").EnumerateArray().Select(c => c.Text("devEui"))];

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    internal static Dictionary<string, double> Counters(string text) =>
        text.Split('\n')
            .Where(l => l.StartsWith("custodian_", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
}
