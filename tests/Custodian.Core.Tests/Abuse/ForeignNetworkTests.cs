using Custodian.Core.Events;
using Custodian.Core.Joins;
using Custodian.Core.Tests.Joins;

namespace Custodian.Core.Tests.Abuse;

/// <summary>
/// Security review findings 13 and 14: a registered network that is not a device's home could tell unknown,
/// unclaimed and claimed-elsewhere devices apart (UnknownDevEUI, ActivationDisallowed, UnknownSender), by JoinReq
/// or by a RejoinReq that needs only the DevEUI. Now it gets one answer for all three; the device's own tenant's
/// audit log alone says which it was.
/// </summary>
public sealed class ForeignNetworkTests
{
    private readonly JoinWorld _world = new();

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    public async Task JoinReq_from_a_foreign_network_answers_alike_for_unknown_unclaimed_and_claimed_elsewhere(string protocolVersion)
    {
        var (claimed, unclaimed, unknown) = Devices();

        var answers = new List<BackendAnswer>();
        foreach (var device in new[] { claimed, unclaimed, unknown })
        {
            answers.Add(await _world.JoinAsync(device.JoinReq(3, senderId: JoinWorld.OtherNetId, protocolVersion: protocolVersion), _world.Other));
        }

        answers.Select(a => a.ResultCode).Should().AllBeEquivalentTo(ResultCode.UnknownDevEUI);
        var devEuis = new[] { claimed, unclaimed, unknown }.Select(d => d.DevEui).ToList();
        answers.Select((a, i) => Anonymised(a, devEuis[i])).Distinct().Should().ContainSingle("every answer is the same but for the DevEUI it names");
        await OnlyTheDevicesTenantIsToldAsync(claimed, unclaimed, AuditEventTypes.JoinRefused);
    }

    [Fact]
    public async Task RejoinReq_from_a_foreign_network_answers_alike_for_unknown_unclaimed_and_claimed_elsewhere()
    {
        var (claimed, unclaimed, unknown) = Devices();

        var answers = new List<BackendAnswer>();
        foreach (var device in new[] { claimed, unclaimed, unknown })
        {
            answers.Add(await _world.Server.AnswerAsync(RejoinReq(device, JoinWorld.OtherNetId), BackendPeer.Of(_world.Other), TestContext.Current.CancellationToken));
        }

        answers.Select(a => a.ResultCode).Should().AllBeEquivalentTo(ResultCode.UnknownDevEUI);
        var devEuis = new[] { claimed, unclaimed, unknown }.Select(d => d.DevEui).ToList();
        answers.Select((a, i) => Anonymised(a, devEuis[i])).Distinct().Should().ContainSingle();
        await OnlyTheDevicesTenantIsToldAsync(claimed, unclaimed, AuditEventTypes.RejoinRefused);
    }

    [Fact]
    public async Task The_home_network_is_still_told_precisely_why()
    {
        var device = _world.Provision(MacVersion.V1_0_3);
        (await _world.JoinAsync(device.JoinReq(3), _world.Home)).ResultCode.Should().Be(ResultCode.Success);

        var replay = await _world.JoinAsync(device.JoinReq(3), _world.Home);

        replay.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        replay.Description.Should().Contain("has already been used");
    }

    private (TestDevice Claimed, TestDevice Unclaimed, TestDevice Unknown) Devices()
    {
        var claimed = _world.Provision(MacVersion.V1_1);
        var unclaimed = _world.Provision(MacVersion.V1_1, claimed: false);
        var unknown = claimed with { DevEui = new DevEui(claimed.DevEui.Value ^ 0xFFFF_0000) };
        return (claimed, unclaimed, unknown);
    }

    /// <summary>The answer's JSON with the DevEUI it names blanked out.</summary>
    private static string Anonymised(BackendAnswer answer, DevEui devEui) =>
        answer.Message.ToJson().Replace(devEui.ToString(), "DEVEUI", StringComparison.Ordinal);

    /// <summary>The owner learns "not its home network", the maker of the unclaimed device "not claimed"; nobody else anything.</summary>
    private async Task OnlyTheDevicesTenantIsToldAsync(TestDevice claimed, TestDevice unclaimed, string type)
    {
        var ownersEvent = (await _world.EventsAsync(JoinWorld.OwnerTenant, claimed.DevEui)).Should().ContainSingle().Subject;
        ownersEvent.Type.Should().Be(type);
        ownersEvent.Code.Should().Be(JoinErrors.NotHomeNetwork.Code);
        ownersEvent.Detail.Should().Contain("is not the home network");
        (await _world.EventsAsync(JoinWorld.Maker, claimed.DevEui)).Should().BeEmpty("the maker of a claimed device is not told of its joins");
        var makersEvent = (await _world.EventsAsync(JoinWorld.Maker, unclaimed.DevEui)).Should().ContainSingle().Subject;
        makersEvent.Code.Should().Be(JoinErrors.DeviceNotClaimed.Code);
        (await _world.EventsAsync(JoinWorld.OwnerTenant, unclaimed.DevEui)).Should().BeEmpty();
    }

    private static RejoinReq RejoinReq(TestDevice device, NetId sender) => new()
    {
        ProtocolVersion = "1.1",
        SenderID = sender.ToString(),
        ReceiverID = device.JoinEui.ToString(),
        TransactionID = 9,
        MACVersion = MacVersion.V1_1,
        PHYPayload = RejoinRequest.Type1(device.JoinEui, device.DevEui, 3).Sign(KeyDerivation.DeriveJSIntKey(new AesCipher(device.Keys.NwkKey.Key), device.DevEui)).ToArray(),
        DevEUI = device.DevEui,
        DevAddr = TestDevice.DevAddr,
        DLSettings = new DLSettings(true, 1, 5),
        RxDelay = 1,
    };
}
