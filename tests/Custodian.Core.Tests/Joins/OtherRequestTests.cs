using Custodian.Core.Events;
using Custodian.Core.Joins;

namespace Custodian.Core.Tests.Joins;

/// <summary>AppSKeyReq, HomeNSReq and RejoinReq.</summary>
public sealed class OtherRequestTests
{
    private readonly JoinWorld _world = new();

    [Fact]
    public async Task Application_server_of_the_session_gets_the_AppSKey_under_its_KEK()
    {
        var (device, joinAns) = await JoinedAsync();

        var answer = await AppSKeyAsync(device, joinAns.SessionKeyID!, _world.ApplicationServer);

        answer.ResultCode.Should().Be(ResultCode.Success, answer.Description);
        var appSKeyAns = answer.Message.Should().BeOfType<AppSKeyAns>().Subject;
        appSKeyAns.AppSKey!.KekLabel.Should().Be("as:as-1");
        appSKeyAns.AppSKey.Open(_world.AsKek).Should().Be(joinAns.AppSKey!.Open(_world.AsKek));
        appSKeyAns.SessionKeyID.Should().Equal(joinAns.SessionKeyID);
        appSKeyAns.DevEUI.Should().Be(device.DevEui);
        appSKeyAns.ReceiverID.Should().Be(JoinWorld.AsId);
        (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().Contain(e => e.Type == AuditEventTypes.AppSKeyDelivered && e.Actor == "as:as-1");
    }

    [Fact]
    public async Task Another_application_server_is_refused()
    {
        var (device, joinAns) = await JoinedAsync();

        var answer = await AppSKeyAsync(device, joinAns.SessionKeyID!, _world.OtherApplicationServer);

        answer.ResultCode.Should().Be(ResultCode.UnknownSender);
        answer.Description.Should().Be($"AS-ID 'as-2' is not the application server of this session of DevEUI {device.DevEui}.");
        answer.Message.Should().BeOfType<ResultAnswer>();
        (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().Contain(e => e.Type == AuditEventTypes.AppSKeyRefused && e.Code == "not_session_application_server");
    }

    [Fact]
    public async Task AppSKeyReq_needs_an_application_server_credential_matching_SenderID()
    {
        var (device, joinAns) = await JoinedAsync();
        var request = AppSKeyReq(device, joinAns.SessionKeyID!, JoinWorld.AsId);

        var asNetwork = await _world.Server.AnswerAsync(request, BackendPeer.Of(_world.Home), TestContext.Current.CancellationToken);
        var spoofed = await _world.Server.AnswerAsync(AppSKeyReq(device, joinAns.SessionKeyID!, JoinWorld.AsId), BackendPeer.Of(_world.OtherApplicationServer), TestContext.Current.CancellationToken);

        asNetwork.ResultCode.Should().Be(ResultCode.UnknownSender);
        spoofed.ResultCode.Should().Be(ResultCode.UnknownSender);
        spoofed.Description.Should().Be("SenderID 'as-1' is not AS-ID 'as-2', which this credential is registered for.");
    }

    [Fact]
    public async Task Unknown_session_is_UnknownDevEUI()
    {
        var (device, _) = await JoinedAsync();

        var answer = await AppSKeyAsync(device, [1, 2, 3], _world.ApplicationServer);

        answer.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
        answer.Description.Should().Be($"DevEUI {device.DevEui} has no session with SessionKeyID 010203.");
    }

    [Fact]
    public async Task Session_of_an_earlier_ownership_is_revoked()
    {
        var (device, joinAns) = await JoinedAsync();
        await _world.Store.UpdateDeviceAsync(device.DevEui, d => d with { OwnershipEpoch = d.OwnershipEpoch + 1 }, TestContext.Current.CancellationToken);

        var answer = await AppSKeyAsync(device, joinAns.SessionKeyID!, _world.ApplicationServer);

        answer.ResultCode.Should().Be(ResultCode.ActivationDisallowed);
        answer.Description.Should().Contain("earlier ownership");
    }

    [Fact]
    public async Task Expired_session_is_refused()
    {
        var (device, joinAns) = await JoinedAsync();
        _world.Time.Advance(JoinWorld.Lifetime);

        var answer = await AppSKeyAsync(device, joinAns.SessionKeyID!, _world.ApplicationServer);

        answer.ResultCode.Should().Be(ResultCode.ActivationDisallowed);
        answer.Description.Should().Contain("expired");
    }

    [Theory]
    [InlineData("1.0", false)]
    [InlineData("1.1", true)]
    public async Task HomeNSReq_names_the_home_network(string protocolVersion, bool withNsId)
    {
        var device = _world.Provision(MacVersion.V1_0_3, homeNsId: "00000000000000AA");

        var answer = await _world.Server.AnswerAsync(HomeNSReq(device, protocolVersion), BackendPeer.Of(_world.Other), TestContext.Current.CancellationToken);

        answer.ResultCode.Should().Be(ResultCode.Success);
        var homeNs = answer.Message.Should().BeOfType<HomeNSAns>().Subject;
        homeNs.HNetID.Should().Be(JoinWorld.HomeNetId);
        homeNs.HNSID.Should().Be(withNsId ? NsId.Parse("00000000000000AA") : null);
    }

    [Fact]
    public async Task HomeNSReq_for_an_unclaimed_device_is_UnknownDevEUI_and_needs_a_credential()
    {
        var device = _world.Provision(MacVersion.V1_0_3, claimed: false);

        var unclaimed = await _world.Server.AnswerAsync(HomeNSReq(device, "1.1"), BackendPeer.Of(_world.Other), TestContext.Current.CancellationToken);
        var anonymous = await _world.Server.AnswerAsync(HomeNSReq(device, "1.1"), BackendPeer.None, TestContext.Current.CancellationToken);

        unclaimed.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
        anonymous.ResultCode.Should().Be(ResultCode.UnknownSender);
    }

    [Fact]
    public async Task RejoinReq_from_the_home_network_is_refused_as_not_served()
    {
        var device = _world.Provision(MacVersion.V1_1);

        var home = await _world.Server.AnswerAsync(RejoinReq(device), BackendPeer.Of(_world.Home), TestContext.Current.CancellationToken);
        var anonymous = await _world.Server.AnswerAsync(RejoinReq(device), BackendPeer.None, TestContext.Current.CancellationToken);

        home.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        home.Description.Should().Be(RejoinHandler.NotServed);
        home.Message.MessageType.Should().Be(MessageTypes.RejoinAns);
        anonymous.ResultCode.Should().Be(ResultCode.UnknownSender);
        var refused = (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().ContainSingle("the request without a credential stores nothing").Subject;
        refused.Type.Should().Be(AuditEventTypes.RejoinRefused);
        refused.Code.Should().Be("rejoin_not_served");
    }

    private async Task<(TestDevice Device, JoinAns Answer)> JoinedAsync()
    {
        var device = _world.Provision(MacVersion.V1_0_3);
        var answer = await _world.JoinAsync(device.JoinReq(1), _world.Home);
        answer.ResultCode.Should().Be(ResultCode.Success);
        return (device, (JoinAns)answer.Message);
    }

    private Task<BackendAnswer> AppSKeyAsync(TestDevice device, byte[] sessionKeyId, Core.Peers.ApplicationServer server) =>
        _world.Server.AnswerAsync(AppSKeyReq(device, sessionKeyId, server.AsId), BackendPeer.Of(server), TestContext.Current.CancellationToken);

    private static AppSKeyReq AppSKeyReq(TestDevice device, byte[] sessionKeyId, string senderId) => new()
    {
        ProtocolVersion = "1.1",
        SenderID = senderId,
        ReceiverID = device.JoinEui.ToString(),
        TransactionID = 42,
        DevEUI = device.DevEui,
        SessionKeyID = sessionKeyId,
    };

    private static HomeNSReq HomeNSReq(TestDevice device, string protocolVersion) => new()
    {
        ProtocolVersion = protocolVersion,
        SenderID = JoinWorld.OtherNetId.ToString(),
        ReceiverID = device.JoinEui.ToString(),
        DevEUI = device.DevEui,
    };

    private static RejoinReq RejoinReq(TestDevice device) => new()
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
