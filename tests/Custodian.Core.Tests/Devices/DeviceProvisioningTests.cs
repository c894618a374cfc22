using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Lorawan.Qr;
using FsCheck.Xunit;

namespace Custodian.Core.Tests.Devices;

public class DeviceProvisioningTests
{
    private static readonly KeyRing Ring = new([new KeyEncryptionKey("k", RandomNumberGenerator.GetBytes(16))], "k");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeviceProvisioning Provisioning = new(Ring, new FixedTime(Now));

    private static DeviceProvisionRequest Request(string macVersion = "1.0.3") =>
        new() { JoinEui = "70B3D57ED0000000", DevEui = "0004A30B001C0530", MacVersion = macVersion };

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.0.2")]
    [InlineData("1.0.4")]
    [InlineData("1.1")]
    public void Generated_keys_are_the_sealed_root_keys(string macVersion)
    {
        Provisioning.TryPrepare("maker", Request(macVersion), out var prepared, out var failure).Should().BeTrue(failure?.Detail);

        var keys = Ring.OpenRootKeys(prepared!.Device.RootKeys, prepared.Device.DevEui);
        var isLorawan11 = macVersion == "1.1";
        prepared.GeneratedAppKey.Should().NotBeNull();
        (prepared.GeneratedNwkKey is not null).Should().Be(isLorawan11);
        if (isLorawan11)
        {
            keys.AppKey!.Value.Key.Should().Be(prepared.GeneratedAppKey!.Value);
            keys.NwkKey.Key.Should().Be(prepared.GeneratedNwkKey!.Value);
        }
        else
        {
            keys.AppKey.Should().BeNull();
            keys.NwkKey.Key.Should().Be(prepared.GeneratedAppKey!.Value, "a 1.0.x device's only key is its AppKey");
        }
        prepared.Device.Owner.Should().BeNull();
        prepared.Device.OwnershipEpoch.Should().Be(0);
        prepared.Device.CreatedAt.Should().Be(Now);
    }

    [Property(MaxTest = 50)]
    public bool The_qr_text_carries_the_claim_code_and_the_sealed_code_matches(ushort vendorId, ushort profileId)
    {
        var request = Request() with { VendorId = vendorId.ToString("X4"), VendorProfileId = profileId.ToString("x4") };
        Provisioning.TryPrepare("maker", request, out var prepared, out _);
        var qr = QrCode.Parse(prepared!.Qr);
        var code = prepared.ClaimCode.ExportSecret();
        return qr.OwnerToken == code
            && qr.VendorId == vendorId
            && qr.VendorProfileId == profileId
            && qr.DevEui == prepared.Device.DevEui
            && Ring.OpenClaimCode(prepared.Device.ClaimCode, prepared.Device.DevEui).Matches(code)
            && code.Length == ClaimCode.GeneratedLength;
    }

    [Fact]
    public void A_pre_activated_device_is_owned_by_its_maker_from_the_start()
    {
        var request = Request() with { HomeNetId = "00001a", HomeNsId = "70b3d57ed0001234", AsId = "as-1" };

        Provisioning.TryPrepare("maker", request, out var prepared, out _).Should().BeTrue();

        prepared!.Device.Owner.Should().Be(new Ownership("maker", NetId.Parse("00001A"), "70B3D57ED0001234", "as-1", Now));
        prepared.Device.OwnershipEpoch.Should().Be(1);
        prepared.Home.Should().Be(new HomeNetwork(NetId.Parse("00001A"), "70B3D57ED0001234", "as-1"));
    }

    [Theory]
    [InlineData("asId")]
    [InlineData("homeNsId")]
    public void Peer_fields_without_a_home_network_are_refused(string field)
    {
        var request = field == "asId" ? Request() with { AsId = "as-1" } : Request() with { HomeNsId = "70B3D57ED0001234" };

        Provisioning.TryPrepare("maker", request, out _, out var failure).Should().BeFalse();

        failure!.Error.Code.Should().Be("invalid_field");
        failure.Detail.Should().StartWith(field + ":").And.Contain("homeNetId");
    }

    [Fact]
    public void Errors_never_carry_the_given_secrets()
    {
        var request = Request() with { AppKey = "00112233445566778899AABBCCDDEEFFAA", ClaimCode = "TOPSECRET_" };

        Provisioning.TryPrepare("maker", request, out _, out var failure).Should().BeFalse();
        failure!.Detail.Should().StartWith("appKey:").And.NotContain("00112233");
        Provisioning.TryPrepare("maker", Request() with { ClaimCode = "TOPSECRET_" }, out _, out failure).Should().BeFalse();
        failure!.Detail.Should().StartWith("claimCode:").And.NotContain("TOPSECRET");
        request.ToString().Should().NotContain("00112233").And.NotContain("TOPSECRET");
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
