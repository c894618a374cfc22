using Custodian.Core.Custody;
using Custodian.Core.Events;
using Custodian.Core.Joins;

namespace Custodian.Core.Tests.Joins;

public sealed class JoinRequestTests
{
    private readonly JoinWorld _world = new();

    [Theory]
    [InlineData("1.0.2")]
    [InlineData("1.0.3")]
    [InlineData("1.0.4")]
    [InlineData("1.1")]
    public async Task Home_network_gets_a_join_accept_the_device_reads_and_keys_under_its_KEK(string version)
    {
        var device = _world.Provision(MacVersion.Parse(version));

        var answer = await _world.JoinAsync(device.JoinReq(7), _world.Home);

        answer.ResultCode.Should().Be(ResultCode.Success, answer.Description);
        var joinAns = answer.Message.Should().BeOfType<JoinAns>().Subject;
        var accept = device.ReadAccept(joinAns, 7);
        accept.JoinNonce.Should().Be(new JoinNonce(1));
        accept.NetId.Should().Be(JoinWorld.HomeNetId);
        accept.DevAddr.Should().Be(TestDevice.DevAddr);
        joinAns.Lifetime.Should().Be((uint)JoinWorld.Lifetime.TotalSeconds);
        joinAns.SessionKeyID.Should().HaveCount(16);
        joinAns.ReceiverID.Should().Be("000013");
        joinAns.SenderID.Should().Be(JoinWorld.JoinEui.ToString());
        joinAns.TransactionID.Should().Be(7);

        var expected = Expected(device, accept, 7);
        if (device.MacVersion.IsLorawan11)
        {
            joinAns.NwkSKey.Should().BeNull();
            joinAns.FNwkSIntKey!.Open(_world.HomeKek).Should().Be(expected.FNwkSIntKey.Key);
            joinAns.SNwkSIntKey!.Open(_world.HomeKek).Should().Be(expected.SNwkSIntKey.Key);
            joinAns.NwkSEncKey!.Open(_world.HomeKek).Should().Be(expected.NwkSEncKey.Key);
        }
        else
        {
            joinAns.FNwkSIntKey.Should().BeNull();
            joinAns.NwkSKey!.KekLabel.Should().Be("ns:000013");
            joinAns.NwkSKey.Open(_world.HomeKek).Should().Be(expected.FNwkSIntKey.Key);
        }
        joinAns.AppSKey!.KekLabel.Should().Be("as:as-1");
        joinAns.AppSKey.Open(_world.AsKek).Should().Be(expected.AppSKey.Key);
    }

    [Fact]
    public async Task Accepted_join_stores_counters_session_and_event()
    {
        var device = _world.Provision(MacVersion.V1_0_3);

        var answer = await _world.JoinAsync(device.JoinReq(0x0102), _world.Home);

        var joinAns = (JoinAns)answer.Message;
        var stored = (await _world.DeviceAsync(device.DevEui))!;
        stored.LastDevNonce.Should().Be(new DevNonce(0x0102));
        stored.NextJoinNonce.Should().Be(2);
        stored.LastJoinAt.Should().Be(_world.Time.GetUtcNow());
        (await _world.Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(0x0102), TestContext.Current.CancellationToken)).Should().BeTrue();
        var session = (await _world.Store.GetSessionAsync(device.DevEui, joinAns.SessionKeyID, TestContext.Current.CancellationToken))!;
        session.AsId.Should().Be(JoinWorld.AsId);
        session.OwnershipEpoch.Should().Be(1);
        session.NetId.Should().Be(JoinWorld.HomeNetId);
        session.ExpiresAt.Should().Be(_world.Time.GetUtcNow() + JoinWorld.Lifetime);
        _world.KeyRing.OpenKey(session.AppSKey, SecretBinding.Session(session.DevEui, session.SessionKeyId.Span)).Should().Be(joinAns.AppSKey!.Open(_world.AsKek));
        var accepted = (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().ContainSingle().Subject;
        accepted.Type.Should().Be(AuditEventTypes.JoinAccepted);
        accepted.Code.Should().Be("Success");
        accepted.Actor.Should().Be("network:000013");
        accepted.Detail.Should().Contain("DevNonce 0102").And.Contain("JoinNonce 000001");
    }

    [Fact]
    public async Task JoinNonce_counts_per_device()
    {
        var device = _world.Provision(MacVersion.V1_0_4);

        var first = await _world.JoinAsync(device.JoinReq(1), _world.Home);
        var second = await _world.JoinAsync(device.JoinReq(2), _world.Home);

        device.ReadAccept((JoinAns)first.Message, 1).JoinNonce.Should().Be(new JoinNonce(1));
        device.ReadAccept((JoinAns)second.Message, 2).JoinNonce.Should().Be(new JoinNonce(2));
        (await _world.DeviceAsync(device.DevEui))!.NextJoinNonce.Should().Be(3);
    }

    [Fact]
    public async Task Network_without_KEK_gets_keys_in_clear()
    {
        var network = _world.NewNetwork(JoinWorld.HomeNetId, "0000000000000001", null);
        var device = _world.Provision(MacVersion.V1_0_3, homeNsId: "0000000000000001", asId: null);

        var answer = await _world.JoinAsync(device.JoinReq(5), network);

        var joinAns = (JoinAns)answer.Message;
        var accept = device.ReadAccept(joinAns, 5);
        joinAns.NwkSKey!.IsWrapped.Should().BeFalse();
        joinAns.NwkSKey.Open(null).Should().Be(Expected(device, accept, 5).FNwkSIntKey.Key);
        joinAns.AppSKey!.IsWrapped.Should().BeFalse("the device has no application server, so no AS KEK");
    }

    [Fact]
    public async Task Unknown_device_is_UnknownDevEUI_and_a_wrong_JoinEui_answers_the_same()
    {
        var device = _world.Provision(MacVersion.V1_0_3);
        var elsewhere = device with { JoinEui = JoinEui.Parse("70B3D57ED0000001") };

        var wrongJoinEui = await _world.JoinAsync(elsewhere.JoinReq(3), _world.Home);
        var unknown = await new JoinWorld().JoinAsync(elsewhere.JoinReq(3), _world.Home);

        wrongJoinEui.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
        wrongJoinEui.Message.ToJson().Should().Be(unknown.Message.ToJson());
        wrongJoinEui.Description.Should().Be($"DevEUI {device.DevEui} is not known under JoinEUI 70B3D57ED0000001.");
        (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().BeEmpty();
    }

    [Fact]
    public async Task Unclaimed_device_answers_as_unknown_and_the_makers_log_says_why()
    {
        var device = _world.Provision(MacVersion.V1_0_3, claimed: false);

        var answer = await _world.JoinAsync(device.JoinReq(3), _world.Home);

        answer.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
        answer.Cause.Should().Be(JoinErrors.DeviceNotClaimed);
        answer.Description.Should().Be($"DevEUI {device.DevEui} is not known under JoinEUI {device.JoinEui}.");
        var refused = (await _world.EventsAsync(JoinWorld.Maker, device.DevEui)).Should().ContainSingle().Subject;
        refused.Type.Should().Be(AuditEventTypes.JoinRefused);
        refused.Code.Should().Be("device_not_claimed");
        refused.Detail.Should().Contain("not claimed").And.EndWith("Answered UnknownDevEUI.");
    }

    [Fact]
    public async Task No_credential_is_UnknownSender_and_stores_nothing()
    {
        var device = _world.Provision(MacVersion.V1_0_3);

        var answer = await _world.JoinAsync(device.JoinReq(3), sender: null);

        answer.ResultCode.Should().Be(ResultCode.UnknownSender);
        answer.Cause.Should().Be(JoinErrors.NoCredential);
        answer.AuthenticationFailed.Should().BeTrue();
        answer.Description.Should().Contain("no credential");
        (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().BeEmpty("anyone can send a request without a credential");
        (await _world.DeviceAsync(device.DevEui))!.NextJoinNonce.Should().Be(1, "a refused join changes nothing");
    }

    [Fact]
    public async Task Spoofed_SenderID_is_UnknownSender()
    {
        var device = _world.Provision(MacVersion.V1_0_3);

        // The other network's credential, claiming to be the home network.
        var answer = await _world.JoinAsync(device.JoinReq(3, senderId: JoinWorld.HomeNetId), _world.Other);

        answer.ResultCode.Should().Be(ResultCode.UnknownSender);
        answer.Cause.Should().Be(JoinErrors.SenderIdMismatch);
        answer.Description.Should().Be("SenderID '000013' is not NetID 000014, which this credential is registered for.");
        (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().BeEmpty("a credential that is not the SenderID's proves nothing");
    }

    [Fact]
    public async Task Another_network_than_the_home_is_answered_as_for_an_unknown_device_and_the_owner_told_why()
    {
        var device = _world.Provision(MacVersion.V1_0_3);

        var answer = await _world.JoinAsync(device.JoinReq(3, senderId: JoinWorld.OtherNetId), _world.Other);

        answer.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
        answer.Cause.Should().Be(JoinErrors.NotHomeNetwork);
        answer.Description.Should().Be($"DevEUI {device.DevEui} is not known under JoinEUI {device.JoinEui}.");
        var refused = (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().ContainSingle().Subject;
        refused.Code.Should().Be("not_home_network");
        refused.Detail.Should().Be($"NetID 000014 is not the home network of DevEUI {device.DevEui}. Answered UnknownDevEUI.");
        refused.Actor.Should().Be("network:000014");
    }

    [Fact]
    public async Task Home_NSID_must_match_the_authenticated_network_server()
    {
        var homeNs = _world.NewNetwork(JoinWorld.HomeNetId, "00000000000000AA", null);
        var otherNs = _world.NewNetwork(JoinWorld.HomeNetId, "00000000000000BB", null);
        var device = _world.Provision(MacVersion.V1_0_4, homeNsId: "00000000000000aa");

        var wrongNs = await _world.JoinAsync(device.JoinReq(1, senderNsId: NsId.Parse("00000000000000BB")), otherNs);
        var spoofedNs = await _world.JoinAsync(device.JoinReq(2, senderNsId: NsId.Parse("00000000000000BB")), homeNs);
        var noNsid = await _world.JoinAsync(device.JoinReq(3), _world.Home);
        var right = await _world.JoinAsync(device.JoinReq(4, senderNsId: NsId.Parse("00000000000000AA")), homeNs);

        wrongNs.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
        wrongNs.Cause.Should().Be(JoinErrors.NotHomeNetworkServer);
        spoofedNs.ResultCode.Should().Be(ResultCode.UnknownSender);
        spoofedNs.Description.Should().Be("SenderNSID 00000000000000BB is not NSID 00000000000000AA, which this credential is registered for.");
        spoofedNs.Cause.Should().Be(JoinErrors.SenderNsIdMismatch);
        noNsid.ResultCode.Should().Be(ResultCode.UnknownDevEUI, "a network registered without NSID is not the device's home NS");
        noNsid.Cause.Should().Be(JoinErrors.NotHomeNetworkServer);
        right.ResultCode.Should().Be(ResultCode.Success, right.Description);
    }

    [Fact]
    public async Task Bad_MIC_is_MICFailed_and_burns_no_nonce()
    {
        var device = _world.Provision(MacVersion.V1_0_4);

        var answer = await _world.JoinAsync(device.JoinReq(9, signWith: Key128.Generate()), _world.Home);

        answer.ResultCode.Should().Be(ResultCode.MICFailed);
        answer.Description.Should().Be("JoinRequest MIC does not verify.");
        (await _world.DeviceAsync(device.DevEui))!.LastDevNonce.Should().BeNull();
        (await _world.JoinAsync(device.JoinReq(9), _world.Home)).ResultCode.Should().Be(ResultCode.Success);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.0.2")]
    [InlineData("1.0.3")]
    public async Task LoRaWAN_10x_up_to_103_refuses_a_used_DevNonce_and_takes_any_fresh_one(string version)
    {
        var device = _world.Provision(MacVersion.Parse(version));

        (await _world.JoinAsync(device.JoinReq(500), _world.Home)).ResultCode.Should().Be(ResultCode.Success);
        var replay = await _world.JoinAsync(device.JoinReq(500), _world.Home);
        var lower = await _world.JoinAsync(device.JoinReq(20), _world.Home);

        replay.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        replay.Description.Should().Be($"DevNonce 01F4 has already been used by DevEUI {device.DevEui} (LoRaWAN {version} refuses a replayed DevNonce).");
        lower.ResultCode.Should().Be(ResultCode.Success, "random DevNonces need not increase before 1.0.4");
        var events = await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui);
        events.Select(e => e.Type).Should().Equal(AuditEventTypes.JoinAccepted, AuditEventTypes.JoinRefused, AuditEventTypes.JoinAccepted);
        events[1].Code.Should().Be("dev_nonce_reused");
        events[1].Detail.Should().Be(replay.Description + " Answered JoinReqFailed.");
    }

    [Theory]
    [InlineData("1.0.4")]
    [InlineData("1.1")]
    public async Task LoRaWAN_104_and_11_require_an_increasing_DevNonce(string version)
    {
        var device = _world.Provision(MacVersion.Parse(version));

        (await _world.JoinAsync(device.JoinReq(10), _world.Home)).ResultCode.Should().Be(ResultCode.Success);
        var same = await _world.JoinAsync(device.JoinReq(10), _world.Home);
        var lower = await _world.JoinAsync(device.JoinReq(9), _world.Home);
        var higher = await _world.JoinAsync(device.JoinReq(11), _world.Home);

        same.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        same.Description.Should().Be($"DevNonce 000A is not greater than the last accepted DevNonce 000A (LoRaWAN {version} counts DevNonces up).");
        lower.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        higher.ResultCode.Should().Be(ResultCode.Success);
    }

    [Fact]
    public async Task First_join_of_a_counting_device_may_use_DevNonce_zero()
    {
        var device = _world.Provision(MacVersion.V1_1);

        (await _world.JoinAsync(device.JoinReq(0), _world.Home)).ResultCode.Should().Be(ResultCode.Success);
    }

    [Fact]
    public async Task Exhausted_JoinNonce_is_refused()
    {
        var device = _world.Provision(MacVersion.V1_0_4, nextJoinNonce: 0x1000000);

        var answer = await _world.JoinAsync(device.JoinReq(1), _world.Home);

        answer.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        answer.Description.Should().Contain("every JoinNonce");
    }

    [Fact]
    public async Task Last_JoinNonce_is_still_used()
    {
        var device = _world.Provision(MacVersion.V1_0_4, nextJoinNonce: 0xFFFFFF);

        var answer = await _world.JoinAsync(device.JoinReq(1), _world.Home);

        device.ReadAccept((JoinAns)answer.Message, 1).JoinNonce.Should().Be(new JoinNonce(0xFFFFFF));
    }

    [Theory]
    [InlineData("1.0", ResultCode.MalformedRequest)]
    [InlineData("1.1", ResultCode.MalformedMessage)]
    public async Task Undecodable_PHYPayload_is_malformed_in_the_protocols_words(string protocolVersion, ResultCode expected)
    {
        var device = _world.Provision(MacVersion.V1_0_3);
        var request = device.JoinReq(1, protocolVersion: protocolVersion);
        var broken = new JoinReq
        {
            ProtocolVersion = request.ProtocolVersion,
            SenderID = request.SenderID,
            ReceiverID = request.ReceiverID,
            MACVersion = request.MACVersion,
            PHYPayload = request.PHYPayload[..22],
            DevEUI = request.DevEUI,
            DevAddr = request.DevAddr,
            DLSettings = request.DLSettings,
            RxDelay = request.RxDelay,
        };

        var answer = await _world.JoinAsync(broken, _world.Home);

        answer.ResultCode.Should().Be(expected);
        answer.Description.Should().Be("PHYPayload: JoinRequest must be 23 bytes, got 22.");
    }

    [Fact]
    public async Task MACVersion_11_for_a_10x_device_is_refused()
    {
        var device = _world.Provision(MacVersion.V1_0_3);

        var answer = await _world.JoinAsync(device.JoinReq(1, macVersion: MacVersion.V1_1), _world.Home);

        answer.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        answer.Description.Should().Contain("speaks LoRaWAN 1.0.3");
    }

    [Fact]
    public async Task LoRaWAN_11_device_on_a_10_network_joins_with_legacy_keys()
    {
        var device = _world.Provision(MacVersion.V1_1);

        var answer = await _world.JoinAsync(device.JoinReq(1, macVersion: MacVersion.V1_0_3), _world.Home);

        var joinAns = (JoinAns)answer.Message;
        var accept = device.ReadAccept(joinAns, 1);
        accept.DLSettings.OptNeg.Should().BeFalse();
        var nwkKey = new AesCipher(device.Keys.NwkKey.Key);
        joinAns.NwkSKey!.Open(_world.HomeKek).Should().Be(KeyDerivation.DeriveLorawan10(in nwkKey, accept.JoinNonce, accept.NetId, new DevNonce(1)).FNwkSIntKey.Key);
    }

    [Fact]
    public async Task Pre_activated_device_joins_and_logs_to_its_maker()
    {
        var device = _world.Provision(MacVersion.V1_0_3);
        await _world.Store.UpdateDeviceAsync(device.DevEui, d => d with { Owner = d.Owner! with { TenantId = JoinWorld.Maker } }, TestContext.Current.CancellationToken);

        (await _world.JoinAsync(device.JoinReq(1), _world.Home)).ResultCode.Should().Be(ResultCode.Success);

        (await _world.EventsAsync(JoinWorld.Maker, device.DevEui)).Should().ContainSingle().Which.Type.Should().Be(AuditEventTypes.JoinAccepted);
    }

    [Fact]
    public async Task A_conflicting_join_with_the_same_DevNonce_makes_the_retry_refuse()
    {
        var racing = new RacingStore(new InMemoryCustodianStore());
        var world = new JoinWorld(racing);
        var device = world.Provision(MacVersion.V1_0_3);
        racing.RaceNextCommit = true;

        var answer = await world.JoinAsync(device.JoinReq(77), world.Home);

        answer.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        answer.Description.Should().Contain("has already been used");
        racing.Commits.Should().Be(1, "the retry is refused before it commits");
        (await world.DeviceAsync(device.DevEui))!.NextJoinNonce.Should().Be(2, "only the racing join committed");
    }

    [Fact]
    public async Task A_device_that_keeps_changing_gives_up_after_the_configured_attempts()
    {
        var racing = new RacingStore(new InMemoryCustodianStore()) { AlwaysConflict = true };
        var world = new JoinWorld(racing);
        var device = world.Provision(MacVersion.V1_0_4);

        var answer = await world.JoinAsync(device.JoinReq(77), world.Home);

        answer.ResultCode.Should().Be(ResultCode.JoinReqFailed);
        answer.Description.Should().Be($"The device changed during the join {world.Options.CommitAttempts} times in a row; send the JoinReq again.");
        racing.Commits.Should().Be(world.Options.CommitAttempts);
    }

    [Fact]
    public async Task Next_join_of_a_device_is_answered_from_the_cache_without_a_read()
    {
        var counting = new RacingStore(new InMemoryCustodianStore());
        var world = new JoinWorld(counting);
        var device = world.Provision(MacVersion.V1_0_4);

        (await world.JoinAsync(device.JoinReq(1), world.Home)).ResultCode.Should().Be(ResultCode.Success);
        var readsAfterFirst = counting.DeviceReads;
        var second = await world.JoinAsync(device.JoinReq(2), world.Home);

        second.ResultCode.Should().Be(ResultCode.Success);
        device.ReadAccept((JoinAns)second.Message, 2).JoinNonce.Should().Be(new JoinNonce(2));
        counting.DeviceReads.Should().Be(readsAfterFirst, "the device came from the cache");
        (await world.DeviceAsync(device.DevEui))!.NextJoinNonce.Should().Be(3);
    }

    [Fact]
    public async Task Cached_device_is_checked_again_after_a_DevNonce_reset()
    {
        var device = _world.Provision(MacVersion.V1_0_4);
        (await _world.JoinAsync(device.JoinReq(100), _world.Home)).ResultCode.Should().Be(ResultCode.Success);
        await _world.Store.ResetDevNoncesAsync(device.DevEui, TestContext.Current.CancellationToken);

        var afterReset = await _world.JoinAsync(device.JoinReq(1), _world.Home);

        afterReset.ResultCode.Should().Be(ResultCode.Success, afterReset.Description);
    }

    [Fact]
    public async Task Cached_device_follows_a_new_home_network()
    {
        var device = _world.Provision(MacVersion.V1_0_4);
        (await _world.JoinAsync(device.JoinReq(1), _world.Home)).ResultCode.Should().Be(ResultCode.Success);
        await _world.Store.UpdateDeviceAsync(
            device.DevEui,
            d => d with { Owner = d.Owner! with { HomeNetId = JoinWorld.OtherNetId }, OwnershipEpoch = d.OwnershipEpoch + 1 },
            TestContext.Current.CancellationToken);

        var oldHome = await _world.JoinAsync(device.JoinReq(2), _world.Home);
        var newHome = await _world.JoinAsync(device.JoinReq(3, senderId: JoinWorld.OtherNetId), _world.Other);

        oldHome.ResultCode.Should().Be(ResultCode.UnknownDevEUI, "the commit finds the device changed and the fresh read refuses");
        oldHome.Cause.Should().Be(JoinErrors.NotHomeNetwork);
        newHome.ResultCode.Should().Be(ResultCode.Success, newHome.Description);
        (await _world.Store.GetSessionAsync(device.DevEui, ((JoinAns)newHome.Message).SessionKeyID!, TestContext.Current.CancellationToken))!
            .OwnershipEpoch.Should().Be(2);
    }

    [Fact]
    public async Task Unserved_message_type_is_malformed()
    {
        var answer = await _world.Server.AnswerAsync(new JoinAns { Result = new Result(ResultCode.Success), SenderID = "000013", ReceiverID = "x" }, BackendPeer.Of(_world.Home), TestContext.Current.CancellationToken);

        answer.ResultCode.Should().Be(ResultCode.MalformedMessage);
        answer.Description.Should().Contain("'JoinAns' is not served");
    }

    private static SessionKeys Expected(TestDevice device, JoinAccept accept, ushort devNonce)
    {
        var nwkKey = new AesCipher(device.Keys.NwkKey.Key);
        return device.MacVersion.IsLorawan11
            ? KeyDerivation.DeriveLorawan11(in nwkKey, new AesCipher(device.Keys.AppKey!.Value.Key), accept.JoinNonce, device.JoinEui, new DevNonce(devNonce))
            : KeyDerivation.DeriveLorawan10(in nwkKey, accept.JoinNonce, accept.NetId, new DevNonce(devNonce));
    }
}
