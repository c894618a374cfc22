using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Joins;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Core.Tests.Joins;

/// <summary>
/// A Join Server over the in-memory store and a fake clock, with a maker, an owner, two networks
/// (home: NetID 000013 with a KEK; other: 000014 without), an application server with a KEK, and
/// helpers that provision devices and build JoinReqs as a device and its network would.
/// </summary>
internal sealed class JoinWorld
{
    public const string Maker = "maker";
    public const string OwnerTenant = "owner";
    public const string AsId = "as-1";
    public static readonly NetId HomeNetId = NetId.Parse("000013");
    public static readonly NetId OtherNetId = NetId.Parse("000014");
    public static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED0000000");
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(6);
    private static ulong _nextDevEui = 0x0004A30B00000001;

    public JoinWorld(ICustodianStore? store = null)
    {
        Store = store ?? new InMemoryCustodianStore();
        KeyRing = new KeyRing([new KeyEncryptionKey("ours-1", RandomNumberGenerator.GetBytes(16))], "ours-1");
        HomeKek = new KeyEncryptionKey("ns:000013", RandomNumberGenerator.GetBytes(16));
        AsKek = new KeyEncryptionKey("as:as-1", RandomNumberGenerator.GetBytes(16));
        Home = NewNetwork(HomeNetId, null, HomeKek);
        Other = NewNetwork(OtherNetId, null, null);
        ApplicationServer = new ApplicationServer(AsId, KeyRing.SealPeerKek(AsKek, SecretBinding.ApplicationServer(AsId)), SecretToken.Hash("as-token"), null, Time.GetUtcNow());
        OtherApplicationServer = new ApplicationServer("as-2", null, SecretToken.Hash("as2-token"), null, Time.GetUtcNow());
        Options = new JoinServerOptions { SessionLifetime = Lifetime };
        Server = new JoinServer(Store, KeyRing, Options, Time);
        Run(Store.CreateApplicationServerAsync(ApplicationServer, default));
        Run(Store.CreateApplicationServerAsync(OtherApplicationServer, default));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public ICustodianStore Store { get; }

    public KeyRing KeyRing { get; }

    public KeyEncryptionKey HomeKek { get; }

    public KeyEncryptionKey AsKek { get; }

    public Network Home { get; }

    public Network Other { get; }

    public ApplicationServer ApplicationServer { get; }

    public ApplicationServer OtherApplicationServer { get; }

    public JoinServerOptions Options { get; }

    public JoinServer Server { get; }

    public Network NewNetwork(NetId netId, string? nsId, KeyEncryptionKey? kek) =>
        new(netId, nsId, "net " + netId, kek is null ? null : KeyRing.SealPeerKek(kek, SecretBinding.Network(netId, nsId)), SecretToken.Hash("token-" + netId + nsId), null, Time.GetUtcNow());

    /// <summary>A device with fresh root keys, claimed by <see cref="OwnerTenant"/> at the home network unless told otherwise.</summary>
    public TestDevice Provision(MacVersion macVersion, bool claimed = true, string? homeNsId = null, uint nextJoinNonce = 1, string? asId = AsId)
    {
        var devEui = new DevEui(Interlocked.Increment(ref _nextDevEui));
        var keys = macVersion.IsLorawan11
            ? RootKeys.ForLorawan11(new NwkKey(Key128.Generate()), new AppKey(Key128.Generate()))
            : RootKeys.ForLorawan10(new NwkKey(Key128.Generate()));
        var device = new Device
        {
            DevEui = devEui,
            JoinEui = JoinEui,
            MacVersion = macVersion,
            MakerTenantId = Maker,
            RootKeys = KeyRing.SealRootKeys(keys, devEui),
            ClaimCode = KeyRing.SealClaimCode(ClaimCode.Generate(), devEui),
            Owner = claimed ? new Ownership(OwnerTenant, HomeNetId, homeNsId, asId, Time.GetUtcNow()) : null,
            OwnershipEpoch = claimed ? 1 : 0,
            NextJoinNonce = nextJoinNonce,
            CreatedAt = Time.GetUtcNow(),
        };
        Run(Store.CreateDevicesAsync([device], default)).Single().Should().BeTrue();
        return new TestDevice(devEui, JoinEui, macVersion, keys);
    }

    public Task<BackendAnswer> JoinAsync(JoinReq request, Network? sender) =>
        Server.AnswerAsync(request, sender is null ? BackendPeer.None : BackendPeer.Of(sender), TestContext.Current.CancellationToken);

    public Task<Device?> DeviceAsync(DevEui devEui) => Store.GetDeviceAsync(devEui, TestContext.Current.CancellationToken);

    public async Task<IReadOnlyList<Events.AuditEvent>> EventsAsync(string tenantId, DevEui devEui) =>
        await Store.ListEventsAsync(new Events.EventQuery(tenantId, devEui, null, 100), TestContext.Current.CancellationToken);

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();
}

/// <summary>A device's side: its identity and root keys; builds signed JoinRequests and reads JoinAccepts.</summary>
internal sealed record TestDevice(DevEui DevEui, JoinEui JoinEui, MacVersion MacVersion, RootKeys Keys)
{
    public static readonly DevAddr DevAddr = DevAddr.Parse("26011234");

    public JoinReq JoinReq(ushort devNonce, NetId? senderId = null, string protocolVersion = "1.1", MacVersion? macVersion = null, bool optNeg = true, NsId? senderNsId = null, Key128? signWith = null)
    {
        var version = macVersion ?? MacVersion;
        var frame = new JoinRequest(JoinEui, DevEui, new DevNonce(devNonce), default).Sign(new AesCipher(signWith ?? Keys.NwkKey.Key));
        return new JoinReq
        {
            ProtocolVersion = protocolVersion,
            SenderID = (senderId ?? JoinWorld.HomeNetId).ToString(),
            ReceiverID = JoinEui.ToString(),
            TransactionID = devNonce,
            SenderNSID = senderNsId,
            MACVersion = version,
            PHYPayload = frame.ToArray(),
            DevEUI = DevEui,
            DevAddr = DevAddr,
            DLSettings = new DLSettings(version.IsLorawan11 && optNeg, 1, 5),
            RxDelay = 1,
        };
    }

    /// <summary>Decrypts the JoinAccept as the device would, checking its MIC.</summary>
    public JoinAccept ReadAccept(JoinAns answer, ushort devNonce)
    {
        var nwkKey = new AesCipher(Keys.NwkKey.Key);
        var accept = JoinAccept.Decrypt(in nwkKey, answer.PHYPayload).Value;
        var micValid = accept.DLSettings.OptNeg
            ? accept.VerifyMic11(new AesCipher(KeyDerivation.DeriveJSIntKey(in nwkKey, DevEui).Key), JoinReqType.JoinRequest, JoinEui, devNonce)
            : accept.VerifyLegacyMic(in nwkKey);
        micValid.Should().BeTrue("the device must accept the JoinAccept's MIC");
        return accept;
    }
}
