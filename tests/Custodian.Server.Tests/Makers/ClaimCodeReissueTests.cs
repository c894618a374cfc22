using System.Net;
using Custodian.Server.Tests.Claims;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Makers;

/// <summary>
/// Security review 2, finding 9: an owner that unclaimed with a new claim code and lost the one answer left a device
/// nobody could claim. The maker now issues a new code for a device nobody owns.
/// </summary>
public sealed class ClaimCodeReissueTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_lost_rotated_code_is_recovered_by_the_maker_and_only_the_new_code_claims()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var buyer = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        var (_, rotated, _) = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}?newClaimCode=true");
        var lostCode = rotated.Text("claimCode")!; // the answer the owner never read
        (await maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}")).Body.Text("claimCode").Should().BeNull("the review's dead end: the maker cannot read it");

        var (status, body, response) = await maker.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.DevEui}/claim-code");

        status.Should().Be(HttpStatusCode.OK, body.ToString());
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        body.Text("devEui").Should().Be(device.DevEui);
        var code = body.Text("claimCode")!;
        code.Should().MatchRegex("^[A-Z0-9]{16}$").And.NotBe(lostCode).And.NotBe(device.ClaimCode);
        body.Text("qr").Should().Contain(code).And.Contain(device.DevEui);
        (await buyer.ClaimAsync(device, NetB, code: lostCode)).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        (await buyer.ClaimAsync(device, NetB, code: device.ClaimCode)).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        (await buyer.PostAsync("/api/v1/claims", new { qr = body.Text("qr"), homeNetId = NetB })).Status.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_new_code_is_the_makers_own_again_and_is_audited_without_the_code()
    {
        var maker = await fixture.MakerAsync();
        var device = await maker.ProvisionOneAsync();

        var (status, body, _) = await maker.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.DevEui}/claim-code");

        status.Should().Be(HttpStatusCode.OK);
        var code = body.Text("claimCode")!;
        (await maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}")).Body.Text("claimCode").Should().Be(code);
        using var label = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/label.svg", TestContext.Current.CancellationToken);
        label.StatusCode.Should().Be(HttpStatusCode.OK);
        var events = await maker.EventsAsync(device.DevEui);
        events[0].Text("type").Should().Be("device.claim_code_rotated");
        events[0].Text("actor").Should().StartWith("apikey:");
        events.Should().OnlyContain(e => !e.ToString().Contains(code, StringComparison.Ordinal));
        Server.Logs.All.Should().NotContain(code);
    }

    [Fact]
    public async Task While_the_device_is_owned_it_is_a_409_and_the_owners_claim_stands()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);

        var (status, body, _) = await maker.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.DevEui}/claim-code");

        status.Should().Be(HttpStatusCode.Conflict);
        body.ShouldBeProblem(HttpStatusCode.Conflict, "device_owned");
        (await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.OK);
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.OK, "the code the owner claimed with still stands");
    }

    [Fact]
    public async Task Anyone_but_the_maker_gets_the_404_of_no_device()
    {
        var maker = await fixture.MakerAsync();
        var otherMaker = await fixture.MakerAsync();
        var owner = (await fixture.TenantAsync("owner", [.. ClaimsWorld.OwnerRights, "devices:provision"])).Client;
        var device = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        (await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NoContent);

        var (other, otherBody, _) = await otherMaker.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.DevEui}/claim-code");
        var (formerOwner, formerBody, _) = await owner.SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.DevEui}/claim-code");
        var unknownDevEui = ClaimsWorld.NextDevEui();
        var (unknown, unknownBody, _) = await otherMaker.SendAsync(HttpMethod.Post, $"/api/v1/devices/{unknownDevEui}/claim-code");
        var (noRight, _, _) = await (await fixture.OwnerAsync()).SendAsync(HttpMethod.Post, $"/api/v1/devices/{device.DevEui}/claim-code");

        other.Should().Be(HttpStatusCode.NotFound);
        otherBody.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");
        formerOwner.Should().Be(HttpStatusCode.NotFound);
        formerBody.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");
        unknown.Should().Be(HttpStatusCode.NotFound);
        unknownBody.Detail().Replace(unknownDevEui, device.DevEui, StringComparison.Ordinal).Should().Be(otherBody.Detail(), "an unknown device reads the same");
        noRight.Should().Be(HttpStatusCode.Forbidden, "the call needs devices:provision");
        (await maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}")).Body.Text("claimCode").Should().Be(device.ClaimCode, "nothing was changed");
    }
}
