using System.Net;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests;

public sealed class DevNonceResetTests(RunningServer fixture) : IClassFixture<RunningServer>
{
    private TestServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("1.0.0", "0000000000140100")]
    [InlineData("1.0.2", "0000000000140102")]
    [InlineData("1.0.3", "0000000000140103")]
    [InlineData("1.0.4", "0000000000140104")]
    [InlineData("1.1", "0000000000140110")]
    public async Task A_reset_forgets_the_used_and_the_last_DevNonce_for_every_MAC_version(string macVersion, string devEui)
    {
        var owner = await Server.TenantAsync("reset-" + devEui[^4..], "devices:provision", "devices:unclaim", "devices:read");
        await Server.NetworkAsync("0000" + devEui[^2..]);
        (await owner.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui, macVersion, homeNetId = "0000" + devEui[^2..] }))
            .Status.Should().Be(HttpStatusCode.Created);
        var eui = DevEui.Parse(devEui);
        await JoinAsync(eui, new DevNonce(7));
        (await Server.Store.IsDevNonceUsedAsync(eui, new DevNonce(7), Ct)).Should().BeTrue();
        (await Server.Store.GetDeviceAsync(eui, Ct))!.LastDevNonce.Should().Be(new DevNonce(7));

        var (status, _) = await owner.PostAsync($"/api/v1/devices/{devEui}/dev-nonces/reset", new { });

        status.Should().Be(HttpStatusCode.OK);
        (await Server.Store.IsDevNonceUsedAsync(eui, new DevNonce(7), Ct)).Should().BeFalse();
        var device = await Server.Store.GetDeviceAsync(eui, Ct);
        device!.LastDevNonce.Should().BeNull();
        device.NextJoinNonce.Should().Be(1, "the JoinNonce keeps counting: a reset never lets a JoinNonce repeat");
    }

    /// <summary>Stores an accepted join as the Join Server does, so the device has a used and a last DevNonce.</summary>
    private async Task JoinAsync(DevEui devEui, DevNonce devNonce)
    {
        var keyRing = Server.Services.GetRequiredService<KeyRing>();
        var device = (await Server.Store.GetDeviceAsync(devEui, Ct))!;
        var now = DateTimeOffset.UtcNow;
        var joined = device with { LastDevNonce = devNonce, NextJoinNonce = device.NextJoinNonce + 1, LastJoinAt = now };
        var session = new JoinSession(devEui, new byte[] { 1, 2, 3 }, device.OwnershipEpoch, device.Owner!.HomeNetId, null, keyRing.SealKey(Key128.Generate(), SecretBinding.Session(devEui, [1, 2, 3])), now, now.AddDays(1));
        var commit = new JoinCommit(joined, device.Version, devNonce, RememberDevNonce: true, session,
            new AuditEvent(0, now, device.Owner.TenantId, AuditEventTypes.JoinAccepted, devEui, "Success", null, "network:test"));
        (await Server.Store.CommitJoinAsync(commit, Ct)).Should().Be(JoinCommitResult.Committed);
    }
}
