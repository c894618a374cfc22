using System.Buffers.Binary;
using Custodian.Lorawan.Qr;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Qr;

/// <summary>Encoding then parsing gives back the same code, for random identifiers and values.</summary>
public sealed class QrCodeProperties
{
    [Property(Arbitrary = [typeof(QrArbitraries)])]
    public bool Tr005_codes_read_back(QrArbitraries.Tr005Input input)
    {
        var code = QrCode.ForTr005(
            new JoinEui(input.JoinEui), new DevEui(input.DevEui), input.VendorId, input.VendorProfileId,
            input.OwnerToken, input.Serial, input.Proprietary);

        return QrCode.Parse(code.Encode()) == code;
    }

    [Property(Arbitrary = [typeof(QrArbitraries)])]
    public bool Draft_3_codes_read_back_and_convert(QrArbitraries.Tr005Input input)
    {
        var text = $"URN:DEV:LW:{input.JoinEui:x16}_{input.DevEui:x16}_{input.VendorId:X4}{input.VendorProfileId:X4}"
            + $"_V{Alphanumeric(input.OwnerToken)}_S{Alphanumeric(input.Serial)}";
        var draft = QrCode.Parse(text);
        var final = draft.ToTr005();

        return QrCode.Parse(draft.Encode()) == draft
            && QrCode.Parse(final.Encode()) == final
            && final.JoinEui == draft.JoinEui && final.DevEui == draft.DevEui && final.OwnerToken == draft.OwnerToken;
    }

    [Property]
    public bool Bare_DevEUIs_read_back(ulong devEui)
    {
        var code = QrCode.ForDevEui(new DevEui(devEui));

        return QrCode.Parse(code.Encode()) == code && QrCode.Parse(code.Encode().ToLowerInvariant()) == code;
    }

    private static string Alphanumeric(string value) =>
        new([.. value.ToUpperInvariant().Where(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z'))]);
}

public static class QrArbitraries
{
    public sealed record Tr005Input(
        ulong JoinEui, ulong DevEui, ushort VendorId, ushort VendorProfileId, string OwnerToken, string Serial, string Proprietary);

    // What a TR005 value may hold: the QR alphanumeric set without ':', lowercase, and some
    // non-ASCII, with spaces only inside (surrounding whitespace is trimmed below).
    private static readonly char[] ValueChars =
        [.. "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz $%*+-./_é€"];

    public static Arbitrary<Tr005Input> Tr005Inputs() =>
        (from joinEui in Eui
         from devEui in Eui
         from vendorId in Uint16
         from vendorProfileId in Uint16
         from ownerToken in Value
         from serial in Value
         from proprietary in Value
         select new Tr005Input(joinEui, devEui, vendorId, vendorProfileId, ownerToken, serial, proprietary)).ToArbitrary();

    private static Gen<ulong> Eui =>
        Gen.ArrayOf(Gen.Choose(0, 255), 8).Select(bytes => BinaryPrimitives.ReadUInt64BigEndian([.. bytes.Select(b => (byte)b)]));

    private static Gen<ushort> Uint16 => Gen.Choose(0, ushort.MaxValue).Select(n => (ushort)n);

    private static Gen<string> Value => Gen.ArrayOf(Gen.Elements(ValueChars)).Select(chars => new string(chars).Trim());
}
