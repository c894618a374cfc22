using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

/// <summary>Fixed-width identifiers (EUIs, NetID, DevAddr) as big-endian hex text, uppercase on output.</summary>
public abstract class HexIdentifierConverter<T> : JsonConverter<T>
    where T : struct, ISpanParsable<T>, ISpanFormattable
{
    private readonly int _hexDigits;

    protected HexIdentifierConverter(int hexDigits) => _hexDigits = hexDigits;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var digits = Hex.StripPrefix(Hex.ReadString(ref reader, "a hex string").AsSpan().Trim());
        if (digits.Length != _hexDigits)
        {
            throw new FieldFormatException($"must be {_hexDigits} hex digits, got {digits.Length}");
        }
        return T.TryParse(digits, null, out var value)
            ? value
            : throw new FieldFormatException("must contain only hex digits");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[_hexDigits];
        value.TryFormat(text, out var written, default, null);
        writer.WriteStringValue(text[..written]);
    }
}

public sealed class DevEuiConverter() : HexIdentifierConverter<DevEui>(DevEui.Size * 2);

public sealed class JoinEuiConverter() : HexIdentifierConverter<JoinEui>(JoinEui.Size * 2);

public sealed class NetIdConverter() : HexIdentifierConverter<NetId>(NetId.Size * 2);

public sealed class DevAddrConverter() : HexIdentifierConverter<DevAddr>(DevAddr.Size * 2);

public sealed class NsIdConverter() : HexIdentifierConverter<NsId>(NsId.Size * 2);
