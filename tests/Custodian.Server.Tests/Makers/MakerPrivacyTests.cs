using System.Net;
using Custodian.Server.Tests.Claims;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Makers;

/// <summary>
/// Security review 2, finding 10: the maker's events named the tenant that claimed its device and that tenant's API
/// key. The maker's events now say only that another tenant did it.
/// </summary>
public sealed class MakerPrivacyTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    [Fact]
    public async Task The_makers_events_of_a_claim_name_neither_the_claimant_tenant_nor_its_key()
    {
        var maker = await fixture.MakerAsync();
        var (ownerId, owner) = await fixture.TenantAsync("owner", ClaimsWorld.OwnerRights);
        var device = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        (await owner.SendAsync(HttpMethod.Delete, $"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NoContent);
        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created);
        var ownerKey = (await owner.EventsAsync(device.DevEui)).First(e => e.Text("type") == "claim.succeeded").Text("actor")!;
        ownerKey.Should().StartWith("apikey:key_");

        var makerEvents = await maker.EventsAsync(device.DevEui);

        makerEvents.Count(e => e.Text("type") == "device.claimed").Should().Be(2);
        foreach (var e in makerEvents.Where(e => e.Text("type") != "device.provisioned"))
        {
            e.ToString().Should().NotContain(ownerId).And.NotContain(ownerKey[7..]);
            e.Text("actor").Should().Be("tenant:other");
        }
        makerEvents.First(e => e.Text("type") == "device.claimed").Text("detail").Should().Be("Claimed by another tenant.");
    }

    [Fact]
    public async Task The_makers_log_never_names_the_guesser()
    {
        var maker = await fixture.MakerAsync();
        var (guesserId, guesser) = await fixture.TenantAsync("guesser", ClaimsWorld.OwnerRights);
        var device = await maker.ProvisionOneAsync();
        for (var i = 0; i < 6; i++)
        {
            await guesser.ClaimAsync(device, NetA, code: $"WRONGCODE{i:D4}");
        }
        var guesserKeyId = (await guesser.EventsAsync(device.DevEui)).First().Text("actor")!["apikey:".Length..];

        var makers = await maker.EventsAsync(device.DevEui);

        // The guesser is locked out in its own log; the maker's log (where a device-wide lock used to name it) does not.
        makers.Should().NotBeEmpty();
        makers.Should().OnlyContain(e => !e.ToString().Contains(guesserId, StringComparison.Ordinal)
            && !e.ToString().Contains(guesserKeyId, StringComparison.Ordinal));
        (await guesser.EventsAsync(device.DevEui)).Should().Contain(e => e.Text("type") == "device.claim_locked");
    }
}
