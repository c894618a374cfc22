using System.Text.Json.Nodes;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using Custodian.Testing;

namespace Custodian.Lorawan.Tests.Interop;

/// <summary>
/// Our join crypto against an independent implementation: lora-packet (tests/device/device.js) is the
/// device. It builds and signs the JoinRequest, <see cref="JoinCrypto.Answer(ReadOnlySpan{byte}, in RootKeys, MacVersion, in JoinAcceptFields, Span{byte})"/>
/// answers, and lora-packet decrypts the JoinAccept, checks its MIC (legacy, or the 1.1 MIC with
/// JSIntKey), decodes its fields and derives the session keys, which must be ours.
/// Random cases from fixed seeds, batched through the one node process.
/// </summary>
[Collection(LoraPacketCollection.Name)]
public sealed class LoraPacketJoinTests(LoraPacketDevice device)
{
    private const int CasesPerVersion = 50;

    public static TheoryData<string, bool, int> Versions => new()
    {
        { "1.0.2", false, 102 },
        { "1.0.3", false, 103 },
        { "1.0.4", false, 104 },
        { "1.1", true, 111 },
        { "1.1", false, 110 },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Lora_packet_joins_and_derives_our_session_keys(string macVersion, bool optNeg, int seed)
    {
        var cases = Cases(macVersion, optNeg, seed, CasesPerVersion);
        var requests = await device.SendAllAsync([.. cases.Select(c => c.JoinRequestRequest())], TestContext.Current.CancellationToken);

        var answers = new List<(JoinAnswer Answer, byte[] JoinAccept)>();
        foreach (var (c, request) in cases.Zip(requests))
        {
            var phyPayload = Convert.FromHexString(Text(request, "phyPayload"));
            JoinRequest.Decode(phyPayload).Value.Should().Be(new JoinRequest(c.JoinEui, c.DevEui, c.DevNonce, Mic.Read(phyPayload.AsSpan(JoinRequest.MicInputSize))), c.ToString());
            var joinAccept = new byte[JoinAccept.SizeWithCFList];
            var answer = JoinCrypto.Answer(phyPayload, c.RootKeys, c.MacVersion, c.Fields, joinAccept);
            answer.IsSuccess.Should().BeTrue($"{c}: {answer}");
            answers.Add((answer.Value, joinAccept[..answer.Value.JoinAcceptLength]));
        }

        var checks = await device.SendAllAsync([.. cases.Zip(answers, (c, a) => c.JoinAcceptRequest(a.JoinAccept))], TestContext.Current.CancellationToken);

        foreach (var ((c, (answer, _)), check) in cases.Zip(answers).Zip(checks))
        {
            var because = c.ToString();
            Text(check, "micScheme").Should().Be(c.Uses11Scheme ? "1.1" : "legacy", because);
            var micValid = Bool(check, "micValid");
            micValid.Should().BeTrue(because);
            JoinNonce.Parse(Text(check, "joinNonce")).Should().Be(c.Fields.JoinNonce, because);
            NetId.Parse(Text(check, "netId")).Should().Be(c.Fields.NetId, because);
            DevAddr.Parse(Text(check, "devAddr")).Should().Be(c.Fields.DevAddr, because);
            Convert.FromHexString(Text(check, "dlSettings")).Should().Equal([c.Fields.DLSettings.Value], because);
            Convert.FromHexString(Text(check, "rxDelay")).Should().Equal([c.Fields.RxDelay.Value], because);
            Convert.FromHexString(Text(check, "cfList")).Should().Equal(c.Fields.CFList?.ToArray() ?? [], because);

            var keys = check["sessionKeys"]!.AsObject();
            var ours = answer.SessionKeys;
            if (c.Uses11Scheme)
            {
                KeyHex(keys, "fNwkSIntKey").Should().Be(ours.FNwkSIntKey.Key.ExportSecretHex(), because);
                KeyHex(keys, "sNwkSIntKey").Should().Be(ours.SNwkSIntKey.Key.ExportSecretHex(), because);
                KeyHex(keys, "nwkSEncKey").Should().Be(ours.NwkSEncKey.Key.ExportSecretHex(), because);
                ours.FNwkSIntKey.Key.Should().NotBe(ours.SNwkSIntKey.Key, because);
            }
            else
            {
                KeyHex(keys, "nwkSKey").Should().Be(ours.NwkSKey.Key.ExportSecretHex(), because);
                ours.Should().Be(SessionKeys.FromLorawan10(ours.NwkSKey, ours.AppSKey), because);
            }
            KeyHex(keys, "appSKey").Should().Be(ours.AppSKey.Key.ExportSecretHex(), because);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_join_request_lora_packet_signs_with_another_key_is_refused(string macVersion, bool optNeg, int seed)
    {
        var cases = Cases(macVersion, optNeg, seed + 1000, 10);
        var random = new Random(seed);
        // A 1.1 device that signs with its AppKey instead of its NwkKey is refused too.
        var signingKeys = cases.Select((c, i) => c.MacVersion.IsLorawan11 && i % 2 == 0 ? c.AppKey!.Value : JoinCase.RandomKey(random)).ToList();
        var requests = await device.SendAllAsync([.. cases.Zip(signingKeys, (c, key) => c.JoinRequestRequest(key))], TestContext.Current.CancellationToken);

        foreach (var (c, request) in cases.Zip(requests))
        {
            var phyPayload = Convert.FromHexString(Text(request, "phyPayload"));
            var answer = JoinCrypto.Answer(phyPayload, c.RootKeys, c.MacVersion, c.Fields, new byte[JoinAccept.SizeWithCFList]);

            answer.IsSuccess.Should().BeFalse(c.ToString());
            answer.Error!.Kind.Should().Be(FrameErrorKind.MicMismatch, c.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Lora_packet_refuses_our_join_accept_under_another_key(string macVersion, bool optNeg, int seed)
    {
        var cases = Cases(macVersion, optNeg, seed + 2000, 10);
        var random = new Random(seed);
        var joinAccepts = cases.Select(c => Answer(c).JoinAccept).ToList();
        // A 1.1 device that decrypts with its AppKey instead of its NwkKey gets garbage too.
        var deviceKeys = cases.Select((c, i) => c.MacVersion.IsLorawan11 && i % 2 == 0 ? c.AppKey!.Value : JoinCase.RandomKey(random)).ToList();

        var checks = await device.SendAllAsync(
            [.. cases.Select((c, i) => c.JoinAcceptRequest(joinAccepts[i], deviceKey: deviceKeys[i]))],
            TestContext.Current.CancellationToken);

        foreach (var (c, check) in cases.Zip(checks))
        {
            // The plaintext is garbage, so lora-packet may pick either MIC scheme from its OptNeg bit: both must fail.
            var micValid = Bool(check, "micValid");
            micValid.Should().BeFalse(c.ToString());
        }
    }

    [Fact]
    public async Task Lora_packet_refuses_a_1_1_join_accept_for_another_dev_nonce()
    {
        var cases = Cases("1.1", optNeg: true, seed: 3111, count: 10);
        var joinAccepts = cases.Select(c => Answer(c).JoinAccept).ToList();

        var checks = await device.SendAllAsync(
            [.. cases.Select((c, i) => c.JoinAcceptRequest(joinAccepts[i], devNonce: new DevNonce((ushort)(c.DevNonce.Value + 1))))],
            TestContext.Current.CancellationToken);

        foreach (var (c, check) in cases.Zip(checks))
        {
            // Decryption used the right key, so the fields are right; only the 1.1 MIC binds the accept to the request.
            Text(check, "micScheme").Should().Be("1.1", c.ToString());
            JoinNonce.Parse(Text(check, "joinNonce")).Should().Be(c.Fields.JoinNonce, c.ToString());
            var micValid = Bool(check, "micValid");
            micValid.Should().BeFalse(c.ToString());
        }
    }

    private static List<JoinCase> Cases(string macVersion, bool optNeg, int seed, int count)
    {
        var version = MacVersion.Parse(macVersion);
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => JoinCase.Random(random, seed, i, version, optNeg))];
    }

    /// <summary>What the Join Server answers to the request <paramref name="c"/>'s device signs with the right key.</summary>
    private static (JoinAnswer Answer, byte[] JoinAccept) Answer(JoinCase c)
    {
        var request = new JoinRequest(c.JoinEui, c.DevEui, c.DevNonce, default).Sign(new AesCipher(c.RootKey));
        var joinAccept = new byte[JoinAccept.SizeWithCFList];
        var answer = JoinCrypto.Answer(request.ToArray(), c.RootKeys, c.MacVersion, c.Fields, joinAccept).Value;
        return (answer, joinAccept[..answer.JoinAcceptLength]);
    }

    private static string Text(JsonObject answer, string name) =>
        answer[name]?.GetValue<string>() ?? throw new InvalidOperationException($"device.js answered without \"{name}\": {answer.ToJsonString()}");

    private static bool Bool(JsonObject answer, string name) =>
        answer[name]?.GetValue<bool>() ?? throw new InvalidOperationException($"device.js answered without \"{name}\": {answer.ToJsonString()}");

    private static string KeyHex(JsonObject keys, string name) => Text(keys, name).ToUpperInvariant();
}
