using System.Text.Json.Nodes;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;

namespace Custodian.Lorawan.Tests.Interop;

/// <summary>
/// One device joining: its root keys, identifiers and DevNonce, and the JoinAccept fields the network
/// chooses. Builds the requests for tests/device/device.js (whose protocol names a 1.0.x device's
/// single key <c>appKey</c>, as the 1.0.x specification does; the Join Server holds it as the NwkKey).
/// </summary>
internal sealed record JoinCase(
    int Index,
    int Seed,
    MacVersion MacVersion,
    Key128 NwkKey,
    Key128? AppKey,
    JoinEui JoinEui,
    DevEui DevEui,
    DevNonce DevNonce,
    JoinAcceptFields Fields)
{
    /// <summary>The key that signs the JoinRequest and encrypts the JoinAccept (the 1.0.x AppKey, the 1.1 NwkKey).</summary>
    public Key128 RootKey => NwkKey;

    public RootKeys RootKeys => MacVersion.IsLorawan11
        ? RootKeys.ForLorawan11(new NwkKey(NwkKey), new AppKey(AppKey ?? throw new InvalidOperationException("A 1.1 device has an AppKey.")))
        : RootKeys.ForLorawan10(new NwkKey(NwkKey));

    /// <summary>Whether the JoinAccept carries the 1.1 MIC (1.1 device, OptNeg set) rather than the legacy one.</summary>
    public bool Uses11Scheme => MacVersion.IsLorawan11 && Fields.DLSettings.OptNeg;

    public static JoinCase Random(Random random, int seed, int index, MacVersion macVersion, bool optNeg)
    {
        var cfList = random.Next(3) switch
        {
            0 => (CFList?)null,
            1 => CFList.FromFrequencies([.. Enumerable.Range(0, CFList.FrequencyCount).Select(_ => (uint)random.Next(0x1000000))]),
            _ => CFList.FromEnabledChannels([.. Enumerable.Range(0, CFList.ChannelMaskChannels).Where(_ => random.Next(2) == 0)]),
        };
        var fields = new JoinAcceptFields(
            new JoinNonce((uint)random.Next(0x1000000)),
            new NetId((uint)random.Next(0x1000000)),
            new DevAddr((uint)random.NextInt64(0x1_0000_0000)),
            new DLSettings(optNeg, random.Next(8), random.Next(16)),
            new RxDelay((byte)random.Next(16)),
            cfList);
        return new JoinCase(
            index,
            seed,
            macVersion,
            RandomKey(random),
            macVersion.IsLorawan11 ? RandomKey(random) : null,
            new JoinEui((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)),
            new DevEui((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)),
            new DevNonce((ushort)random.Next(0x10000)),
            fields);
    }

    public static Key128 RandomKey(Random random)
    {
        Span<byte> bytes = stackalloc byte[Key128.Size];
        random.NextBytes(bytes);
        return Key128.FromBytes(bytes);
    }

    /// <summary>lora-packet builds and signs the JoinRequest; <paramref name="signWith"/> replaces the device's root key.</summary>
    public JsonObject JoinRequestRequest(Key128? signWith = null)
    {
        var request = DeviceRequest("joinRequest", signWith ?? RootKey, DevNonce);
        return request;
    }

    /// <summary>
    /// lora-packet decrypts and checks <paramref name="joinAccept"/>; <paramref name="deviceKey"/> replaces the
    /// device's root key and <paramref name="devNonce"/> the DevNonce it remembers sending.
    /// </summary>
    public JsonObject JoinAcceptRequest(ReadOnlySpan<byte> joinAccept, Key128? deviceKey = null, DevNonce? devNonce = null)
    {
        var request = DeviceRequest("joinAccept", deviceKey ?? RootKey, devNonce ?? DevNonce);
        request["phyPayload"] = Convert.ToHexString(joinAccept);
        return request;
    }

    public override string ToString() => $"case {Index} of seed {Seed} (LoRaWAN {MacVersion}, OptNeg {Fields.DLSettings.OptNeg})";

    private JsonObject DeviceRequest(string op, Key128 rootKey, DevNonce devNonce)
    {
        var request = new JsonObject
        {
            ["op"] = op,
            ["macVersion"] = MacVersion.ToString(),
            ["joinEui"] = JoinEui.ToString(),
            ["devEui"] = DevEui.ToString(),
            ["devNonce"] = devNonce.ToString(),
        };
        if (MacVersion.IsLorawan11)
        {
            request["nwkKey"] = rootKey.ExportSecretHex();
            request["appKey"] = AppKey?.ExportSecretHex();
        }
        else
        {
            request["appKey"] = rootKey.ExportSecretHex();
        }
        return request;
    }
}
