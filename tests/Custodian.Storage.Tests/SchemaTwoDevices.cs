using Custodian.Core.Storage;

namespace Custodian.Storage.Tests;

/// <summary>
/// The two devices each engine's schema-2 upgrade test writes in schema 2 (DevEUI FFFF… owned by 'acme', unlocked,
/// 2 failed claims, version 3; DevEUI 5 unclaimed, version 4), as they must read after migrating to the latest schema.
/// </summary>
internal static class SchemaTwoDevices
{
    public static async Task ShouldSurviveUpgradeAsync(ICustodianStore store)
    {
        var ct = TestContext.Current.CancellationToken;
        var owned = await store.GetDeviceAsync(new DevEui(0xFFFFFFFFFFFFFFFF), ct);
        owned!.ClaimCodeIssuer.Should().BeNull();
        owned.Owner!.Locked.Should().BeFalse();
        owned.FailedClaims.Should().Be(2);
        owned.Version.Should().Be(3);
        var unclaimed = await store.GetDeviceAsync(new DevEui(5), ct);
        unclaimed!.ClaimCodeIssuer.Should().BeNull();
        unclaimed.Owner.Should().BeNull();
        unclaimed.MakerIssuedClaimCode.Should().BeTrue();
        unclaimed.Version.Should().Be(4);
        var rotated = await store.UpdateDeviceAsync(unclaimed.DevEui, d => d with { ClaimCodeIssuer = "acme" }, ct);
        (await store.GetDeviceAsync(unclaimed.DevEui, ct)).Should().Be(rotated);
        rotated!.ClaimCodeIssuer.Should().Be("acme");
    }
}
