using System.Net;
using System.Text.Json;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

public sealed class ClaimBatchTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    [Fact]
    public async Task A_batch_of_1000_claims_each_item_and_the_failing_ones_leave_no_trace()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(1000);
        var items = new List<object>(devices.Count);
        var failing = new Dictionary<int, string>();
        for (var i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            switch (i % 100)
            {
                case 7:
                    items.Add(ClaimsWorld.Claim(device, NetA, code: "WRONGCODE123"));
                    failing[i] = "claim_refused";
                    break;
                case 13:
                    items.Add(new { joinEui = device.JoinEui, devEui = device.DevEui[..10], claimCode = device.ClaimCode, homeNetId = NetA });
                    failing[i] = "invalid_field";
                    break;
                case 21:
                    items.Add(ClaimsWorld.Claim(device, "0000FF"));
                    failing[i] = "network_not_found";
                    break;
                case 42:
                    items.Add(42);
                    failing[i] = "invalid_request";
                    break;
                default:
                    items.Add(i % 2 == 0 ? ClaimsWorld.Claim(device, NetA) : new { qr = device.Qr, homeNetId = NetB });
                    break;
            }
        }

        var (status, body) = await owner.PostAsync("/api/v1/claims/batch", new { claims = items });

        status.Should().Be(HttpStatusCode.OK, body.ToString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Should().HaveCount(1000);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            result.GetProperty("index").GetInt32().Should().Be(i);
            if (failing.TryGetValue(i, out var code))
            {
                result.Text("status").Should().Be("failed");
                var error = result.GetProperty("error");
                error.GetProperty("code").GetString().Should().Be(code, error.ToString());
                error.GetProperty("type").GetString().Should().EndWith("/" + code);
                error.Text("detail").Should().NotBeNullOrEmpty();
            }
            else
            {
                result.Text("status").Should().Be("claimed", result.ToString());
                result.Text("devEui").Should().Be(devices[i].DevEui);
                result.TryGetProperty("error", out _).Should().BeFalse();
            }
        }
        results[7].Text("devEui").Should().Be(devices[7].DevEui);
        results[42].GetProperty("error").Text("detail").Should().Be("claims[42] is a number; expected a JSON object.");
        results[13].GetProperty("error").Text("detail").Should().StartWith("devEui:");

        var (_, claimed) = await owner.GetJsonAsync("/api/v1/claims?limit=1000");
        var claimedEuis = claimed.GetProperty("claims").EnumerateArray().Select(c => c.Text("devEui")).ToHashSet();
        claimedEuis.Should().HaveCount(1000 - failing.Count);
        var events = await owner.EventsAsync();
        var succeeded = events.Where(e => e.Text("type") == "claim.succeeded").Select(e => e.Text("devEui")).ToHashSet();
        foreach (var index in failing.Keys)
        {
            var devEui = devices[index].DevEui;
            claimedEuis.Should().NotContain(devEui);
            succeeded.Should().NotContain(devEui, "a failing item leaves no claim behind");
            (await owner.GetJsonAsync($"/api/v1/claims/{devEui}")).Status.Should().Be(HttpStatusCode.NotFound);
            (await maker.GetJsonAsync($"/api/v1/devices/{devEui}")).Body.Text("state").Should().Be("unclaimed");
        }
        succeeded.Should().HaveCount(1000 - failing.Count);
    }

    [Fact]
    public async Task Claiming_the_same_batch_again_is_already_claimed_and_a_repeated_DevEUI_is_decided_once()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(3);
        object[] claims = [ClaimsWorld.Claim(devices[0], NetA), ClaimsWorld.Claim(devices[1], NetA), ClaimsWorld.Claim(devices[0], NetA)];

        var (_, first) = await owner.PostAsync("/api/v1/claims/batch", new { claims });
        var (_, second) = await owner.PostAsync("/api/v1/claims/batch", new { claims });

        Statuses(first).Should().Equal("claimed", "claimed", "failed");
        first.GetProperty("results")[2].GetProperty("error").GetProperty("code").GetString().Should().Be("invalid_field");
        Statuses(second).Should().Equal("already-claimed", "already-claimed", "failed");
    }

    [Fact]
    public async Task Item_errors_are_the_same_problems_as_single_claims()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var other = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(2);
        (await other.ClaimAsync(devices[0], NetA)).Status.Should().Be(HttpStatusCode.Created);

        var (_, single) = await owner.ClaimAsync(devices[0], NetB);
        var (_, batch) = await owner.PostAsync("/api/v1/claims/batch", new { claims = new[] { ClaimsWorld.Claim(devices[0], NetB), ClaimsWorld.Claim(devices[1], NetB, code: "ABCDEF1234") } });

        var item = batch.GetProperty("results")[0].GetProperty("error");
        foreach (var member in new[] { "type", "title", "status", "detail", "code" })
        {
            item.GetProperty(member).ToString().Should().Be(single.GetProperty(member).ToString());
        }
        batch.GetProperty("results")[1].GetProperty("error").GetProperty("code").GetString().Should().Be("claim_refused");
    }

    [Theory]
    [InlineData("{}", "claims: required")]
    [InlineData("{\"claims\": []}", "claims: required")]
    [InlineData("{\"claims\": {}}", "claims: required")]
    [InlineData("{\"claims\": 5}", "claims: required")]
    [InlineData("[]", "The body is an array")]
    [InlineData("{\"claims\": [", "The body is not valid JSON")]
    public async Task A_malformed_envelope_is_a_400(string json, string detail)
    {
        var owner = await fixture.OwnerAsync();

        var (status, problem) = await owner.PostRawAsync("/api/v1/claims/batch", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.Detail().Should().StartWith(detail);
    }

    [Fact]
    public async Task More_than_10000_claims_are_a_400()
    {
        var owner = await fixture.OwnerAsync();
        var claims = Enumerable.Repeat(new { qr = "x" }, 10_001);

        var (status, problem) = await owner.PostAsync("/api/v1/claims/batch", new { claims });

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().Be("claims: at most 10000 claims per call, got 10001.");
    }

    private static List<string?> Statuses(JsonElement body) => [.. body.GetProperty("results").EnumerateArray().Select(r => r.Text("status"))];
}
