using Custodian.Core.Events;
using Custodian.Core.Joins;
using Custodian.Core.Tests.Joins;

namespace Custodian.Core.Tests.Abuse;

/// <summary>
/// Security review finding 1, at the Join Server's own level: a JoinReq or RejoinReq whose credential fails
/// (none, another network's SenderID, another NSID) wrote a refusal, with an attacker-sized actor, into the
/// device's tenant's log. Now it writes nothing, whatever device it names.
/// </summary>
public sealed class UnauthenticatedJoinTests
{
    private readonly JoinWorld _world = new();

    [Fact]
    public async Task Requests_whose_credential_fails_write_no_event()
    {
        var device = _world.Provision(MacVersion.V1_0_3);
        var nsNetwork = _world.NewNetwork(JoinWorld.HomeNetId, "00000000000000AA", null);
        var huge = new JoinReq
        {
            ProtocolVersion = "1.1",
            SenderID = new string('A', 60_000),
            ReceiverID = device.JoinEui.ToString(),
            MACVersion = device.MacVersion,
            PHYPayload = device.JoinReq(4).PHYPayload,
            DevEUI = device.DevEui,
            DevAddr = TestDevice.DevAddr,
            DLSettings = new DLSettings(false, 1, 5),
            RxDelay = 1,
        };

        var answers = new[]
        {
            await _world.JoinAsync(device.JoinReq(1), sender: null),
            await _world.JoinAsync(device.JoinReq(2, senderId: JoinWorld.HomeNetId), _world.Other),
            await _world.JoinAsync(device.JoinReq(3, senderNsId: NsId.Parse("00000000000000BB")), nsNetwork),
            await _world.JoinAsync(huge, sender: null),
            await _world.Server.AnswerAsync(Rejoin(device), BackendPeer.None, TestContext.Current.CancellationToken),
        };

        answers.Select(a => a.ResultCode).Should().AllBeEquivalentTo(ResultCode.UnknownSender);
        answers.Select(a => a.Cause).Should().Equal(
            JoinErrors.NoCredential, JoinErrors.SenderIdMismatch, JoinErrors.SenderNsIdMismatch, JoinErrors.NoCredential, JoinErrors.NoCredential);
        answers.Should().AllSatisfy(a => a.AuthenticationFailed.Should().BeTrue());
        (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().BeEmpty();
        (await _world.EventsAsync(JoinWorld.Maker, device.DevEui)).Should().BeEmpty();
        (await _world.DeviceAsync(device.DevEui))!.NextJoinNonce.Should().Be(1);
    }

    [Fact]
    public void An_event_caps_its_actor_and_detail()
    {
        var huge = new string('x', 60_000);
        var withPair = new string('y', AuditEvent.MaxActorLength - 2) + "\U0001F600" + "zz";

        var capped = new AuditEvent(0, DateTimeOffset.UnixEpoch, "t", "test", null, "code", huge, huge);
        var notSplit = new AuditEvent(0, DateTimeOffset.UnixEpoch, "t", "test", null, "code", null, withPair);
        var changed = capped with { Actor = huge, Detail = huge };

        capped.Actor!.Length.Should().Be(AuditEvent.MaxActorLength);
        capped.Detail!.Length.Should().Be(AuditEvent.MaxDetailLength);
        capped.Detail.Should().EndWith("…");
        changed.Actor!.Length.Should().Be(AuditEvent.MaxActorLength, "with-expressions are capped too");
        changed.Detail!.Length.Should().Be(AuditEvent.MaxDetailLength);
        char.IsHighSurrogate(notSplit.Actor![^2]).Should().BeFalse("a cut never leaves half a surrogate pair");
        new AuditEvent(0, DateTimeOffset.UnixEpoch, "t", "test", null, null, "short", "network:000013").Detail.Should().Be("short");
    }

    private static RejoinReq Rejoin(TestDevice device) => new()
    {
        ProtocolVersion = "1.1",
        SenderID = JoinWorld.HomeNetId.ToString(),
        ReceiverID = device.JoinEui.ToString(),
        MACVersion = MacVersion.V1_1,
        PHYPayload = RejoinRequest.Type1(device.JoinEui, device.DevEui, 3).Sign(KeyDerivation.DeriveJSIntKey(new AesCipher(device.Keys.NwkKey.Key), device.DevEui)).ToArray(),
        DevEUI = device.DevEui,
        DevAddr = TestDevice.DevAddr,
        DLSettings = new DLSettings(true, 1, 5),
        RxDelay = 1,
    };
}
