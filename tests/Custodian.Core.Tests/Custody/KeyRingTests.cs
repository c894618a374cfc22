using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using FsCheck.Xunit;

namespace Custodian.Core.Tests.Custody;

public class KeyRingTests
{
    private static readonly KeyEncryptionKey Old = new("kek-2025", RandomNumberGenerator.GetBytes(16));
    private static readonly KeyEncryptionKey Current = new("kek-2026", RandomNumberGenerator.GetBytes(32));
    private static readonly DevEui Device = DevEui.Parse("0018B20000000001");
    private static readonly SecretBinding Binding = SecretBinding.DeviceRootKeys(Device);

    [Property]
    public bool Any_secret_of_1_to_255_bytes_round_trips(byte[] secret)
    {
        var ring = new KeyRing([Current], Current.Label);
        var bytes = secret.Length is 0 or > 255 ? [1] : secret;
        return ring.Open(ring.Seal(bytes, Binding), Binding).AsSpan().SequenceEqual(bytes)
            && ring.Open(ring.SealUnbound(bytes), Binding).AsSpan().SequenceEqual(bytes);
    }

    [Fact]
    public void New_secrets_take_the_current_label_and_old_labels_stay_readable()
    {
        var before = new KeyRing([Old], Old.Label).SealKey(Key128.Parse("2B7E151628AED2A6ABF7158809CF4F3C"), Binding);
        var rotated = new KeyRing([Old, Current], Current.Label);

        rotated.SealKey(Key128.Generate(), Binding).KekLabel.Should().Be("kek-2026");
        before.KekLabel.Should().Be("kek-2025");
        rotated.OpenKey(before, Binding).ExportSecretHex().Should().Be("2B7E151628AED2A6ABF7158809CF4F3C");
    }

    [Fact]
    public void A_secret_under_a_missing_label_is_refused_naming_the_label()
    {
        var sealedKey = new KeyRing([Old], Old.Label).SealKey(Key128.Generate(), Binding);

        new KeyRing([Current], Current.Label).TryOpen(sealedKey, Binding, out _, out var error).Should().BeFalse();
        error.Should().Contain("kek-2025").And.Contain("not configured");
    }

    [Fact]
    public void A_tampered_secret_fails_its_integrity_check()
    {
        var ring = new KeyRing([Current], Current.Label);
        var sealedSecret = ring.Seal([1, 2, 3], Binding);
        var legacy = ring.SealUnbound([1, 2, 3]);
        var tampered = sealedSecret.Wrapped.ToArray();
        tampered[5] ^= 0x01;
        var tamperedLegacy = legacy.Wrapped.ToArray();
        tamperedLegacy[5] ^= 0x01;

        ring.TryOpen(sealedSecret with { Wrapped = tampered }, Binding, out _, out var error).Should().BeFalse();
        error.Should().Contain("does not open");
        ring.TryOpen(legacy with { Wrapped = tamperedLegacy }, Binding, out _, out error).Should().BeFalse();
        error.Should().Contain("does not unwrap");
    }

    [Fact]
    public void A_secret_sealed_under_one_key_does_not_open_under_another_key_of_the_same_label()
    {
        var sealedSecret = new KeyRing([Current], Current.Label).Seal([9, 9, 9], Binding);
        var impostor = new KeyRing([new KeyEncryptionKey(Current.Label, RandomNumberGenerator.GetBytes(32))], Current.Label);

        impostor.TryOpen(sealedSecret, Binding, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void The_current_label_must_name_a_key_and_labels_are_unique()
    {
        FluentActions.Invoking(() => new KeyRing([Old], "missing")).Should().Throw<ArgumentException>().WithMessage("*missing*");
        FluentActions.Invoking(() => new KeyRing([Old, Old], Old.Label)).Should().Throw<ArgumentException>().WithMessage("*twice*");
    }

    [Fact]
    public void Root_keys_claim_codes_and_peer_keks_round_trip()
    {
        var ring = new KeyRing([Current], Current.Label);
        var lorawan10 = RootKeys.ForLorawan10(new NwkKey(Key128.Generate()));
        var lorawan11 = RootKeys.ForLorawan11(new NwkKey(Key128.Generate()), new AppKey(Key128.Generate()));
        var code = ClaimCode.Generate();
        var peerKek = new KeyEncryptionKey("ns-kek", RandomNumberGenerator.GetBytes(24));

        ring.OpenRootKeys(ring.SealRootKeys(lorawan10, Device), Device).Should().Be(lorawan10);
        ring.OpenRootKeys(ring.SealRootKeys(lorawan11, Device), Device).Should().Be(lorawan11);
        ring.OpenClaimCode(ring.SealClaimCode(code, Device), Device).Should().Be(code);
        var network = SecretBinding.Network(NetId.Parse("000013"), "ns-1");
        var opened = ring.OpenPeerKek(ring.SealPeerKek(peerKek, network), network);
        opened.Label.Should().Be("ns-kek");
        opened.Wrap(new byte[16]).Should().Equal(peerKek.Wrap(new byte[16]));
    }

    [Fact]
    public void Sealed_secrets_round_trip_through_storage_text_and_never_show_their_bytes()
    {
        var ring = new KeyRing([Current], Current.Label);
        var sealedSecret = ring.Seal([1, 2, 3, 4], Binding);
        var text = sealedSecret.ToStorageText();
        var legacy = ring.SealUnbound([1, 2, 3, 4]);

        text.Should().StartWith("kek-2026:aead1:");
        var buffer = new char[256];
        sealedSecret.TryFormatStorageText(buffer, out var written).Should().BeTrue();
        new string(buffer, 0, written).Should().Be(text);
        legacy.TryFormatStorageText(buffer, out written).Should().BeTrue();
        new string(buffer, 0, written).Should().Be(legacy.ToStorageText());
        sealedSecret.TryFormatStorageText(new char[10], out _).Should().BeFalse();
        SealedSecret.ParseStorageText(text).Should().Be(sealedSecret);
        legacy.ToStorageText().Should().MatchRegex("^kek-2026:[A-Za-z0-9+/=]+$", "the format before schema 5");
        SealedSecret.ParseStorageText(legacy.ToStorageText()).Should().Be(legacy);
        SealedSecret.ParseStorageText(legacy.ToStorageText()).Format.Should().Be(SealFormat.KeyWrap);
        sealedSecret.ToString().Should().NotContain(Convert.ToBase64String(sealedSecret.Wrapped.Span));
        SealedSecret.TryParseStorageText("no-separator", out _).Should().BeFalse();
        SealedSecret.TryParseStorageText("label:not base64!", out _).Should().BeFalse();
    }

    [Fact]
    public void A_seal_opens_only_for_the_row_it_is_bound_to()
    {
        var ring = new KeyRing([Current], Current.Label);
        var other = DevEui.Parse("0018B20000000002");
        var code = ClaimCode.Generate();
        var sealedCode = ring.SealClaimCode(code, Device);

        ring.TryOpen(sealedCode, SecretBinding.DeviceClaimCode(other), out _, out var error).Should().BeFalse("a claim code copied onto another device");
        error.Should().Contain("another row").And.NotContain(code.ExportSecret());
        ring.TryOpen(sealedCode, SecretBinding.DeviceRootKeys(Device), out _, out _).Should().BeFalse("another column of the same row");
        ring.OpenClaimCode(sealedCode, Device).Should().Be(code);
        ring.TryOpen(ring.Seal([1], SecretBinding.Network(NetId.Parse("000013"), null)), SecretBinding.Network(NetId.Parse("000013"), "ns"), out _, out _)
            .Should().BeFalse("a network without NSID is another row than one with");
    }
}
