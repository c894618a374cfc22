using System.Net;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary>
/// A claim code rotated on unclaiming is shown once, to the owner that asked for it: the maker, which holds the
/// device again, reads neither the code nor a label for it; after a plain unclaim it still reads its own.
/// </summary>
public sealed class ClaimCodeIssuerTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_an_owner_rotates_the_code_the_maker_reads_neither_code_nor_label_and_the_next_owner_claims_with_it()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var next = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);

        var (released, rotation, _) = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}?newClaimCode=true");
        released.Should().Be(HttpStatusCode.OK, rotation.ToString());
        var newCode = rotation.Text("claimCode")!;
        newCode.Should().NotBe(device.ClaimCode);

        await MakerSeesNoCodeAsync(maker, device, newCode, "unclaimed");

        var (claimed, claimBody) = await next.ClaimAsync(device, NetB, code: newCode);
        claimed.Should().Be(HttpStatusCode.Created, claimBody.ToString());
        await MakerSeesNoCodeAsync(maker, device, newCode, "claimed");

        // The next owner releases it without a new code: the code is still the first owner's, not the maker's.
        (await next.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NoContent);
        await MakerSeesNoCodeAsync(maker, device, newCode, "unclaimed");
    }

    [Fact]
    public async Task After_a_plain_unclaim_the_maker_still_reads_its_own_code_and_label()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        (await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NoContent);

        var (status, view) = await maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}");

        status.Should().Be(HttpStatusCode.OK, view.ToString());
        view.Text("state").Should().Be("unclaimed");
        view.Text("claimCode").Should().Be(device.ClaimCode);
        view.Text("qr").Should().Be(device.Qr);
        using var svg = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/label.svg", Ct);
        svg.StatusCode.Should().Be(HttpStatusCode.OK);
        (await svg.Content.ReadAsStringAsync(Ct)).Should().Contain(device.ClaimCode);
        using var png = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/label.png", Ct);
        png.StatusCode.Should().Be(HttpStatusCode.OK);
        png.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
    }

    private static async Task MakerSeesNoCodeAsync(HttpClient maker, ProvisionedClaim device, string newCode, string state)
    {
        var (status, view) = await maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}");
        status.Should().Be(HttpStatusCode.OK, view.ToString());
        view.Text("state").Should().Be(state);
        view.TryGetProperty("claimCode", out var code).Should().BeFalse($"the maker must not read a code another tenant issued: {code}");
        view.TryGetProperty("qr", out var qr).Should().BeFalse($"nor its QR text: {qr}");
        view.ToString().Should().NotContain(newCode).And.NotContain(device.ClaimCode, "the maker's old code is gone too");

        foreach (var label in new[] { "label.svg", "label.png" })
        {
            using var response = await maker.GetAsync($"/api/v1/devices/{device.DevEui}/{label}", Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "device_not_found");
            problem.ToString().Should().NotContain(newCode);
        }
    }
}
