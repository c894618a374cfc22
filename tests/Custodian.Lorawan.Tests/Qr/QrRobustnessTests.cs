using System.Buffers.Binary;
using System.Text;
using Custodian.Lorawan.Qr;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Qr;

/// <summary>
/// <see cref="QrCode.TryParse(string?, out QrCode?, out string?)"/> and its byte overload are total:
/// any text or payload gives either a code whose canonical text parses back to the same code, or a
/// short message free of control characters (the parser keeps them out of terminals). Inputs are
/// codes of every layout, mutated as scanners and people damage them, and random text and bytes.
/// </summary>
public sealed class QrRobustnessTests
{
    private const int Cases = 1000;

    /// <summary>Quoted values are cut at 24 characters, so no message grows with its input.</summary>
    private const int MaxMessageLength = 300;

    [Property(Arbitrary = [typeof(QrRobustnessArbitraries)], MaxTest = Cases)]
    public void Text_is_parsed_to_a_code_that_round_trips_or_refused_precisely(QrText input)
    {
        var text = input.Text;
        var parsed = QrCode.TryParse(text, out var code, out var error);

        if (!parsed)
        {
            ShouldBeAPreciseRefusal(error);
            Thrown.By<FormatException>(() => QrCode.Parse(text)).Message.Should().Contain(error!);
            return;
        }
        ShouldRoundTrip(code!, text);
        QrCode.Parse(text).Should().Be(code);
    }

    [Property(Arbitrary = [typeof(QrRobustnessArbitraries)], MaxTest = Cases)]
    public void Payload_bytes_are_read_as_strict_UTF_8_then_as_text(QrPayload input)
    {
        var payload = input.Bytes;
        var parsed = QrCode.TryParse(payload, out var code, out var error);

        if (payload.Length > QrCode.MaxLength)
        {
            parsed.Should().BeFalse();
            error.Should().Contain("bytes");
        }
        else if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            parsed.Should().BeFalse();
            error.Should().Contain("not UTF-8");
        }
        else
        {
            // Valid UTF-8 is read exactly as its text would be.
            var text = Encoding.UTF8.GetString(payload);
            QrCode.TryParse(text, out var fromText, out var textError).Should().Be(parsed);
            code.Should().Be(fromText);
            error.Should().Be(textError);
        }
        if (!parsed)
        {
            ShouldBeAPreciseRefusal(error);
            Thrown.By<FormatException>(() => QrCode.Parse(payload)).Message.Should().Contain(error!);
            return;
        }
        ShouldRoundTrip(code!, Encoding.UTF8.GetString(payload));
        Thrown.By<FormatException>(() => QrCode.Parse([0xFF, .. payload[..Math.Min(payload.Length, QrCode.MaxLength - 1)]])).Message.Should().Contain("not UTF-8");
    }

    /// <summary>
    /// A damaged owner token is either read exactly as written or refused without quoting it (it is
    /// a claim secret). Only a separator typed into it may split it into two elements: the text then
    /// is a different, valid code, which the general properties cover.
    /// </summary>
    [Property(Arbitrary = [typeof(QrRobustnessArbitraries)], MaxTest = Cases)]
    public void A_mutated_owner_token_is_read_exactly_or_refused_without_revealing_it(QrTokenCase input)
    {
        var parsed = QrCode.TryParse(input.Text, out var code, out var error);

        if (input.Token.Contains(input.Separator, StringComparison.Ordinal))
        {
            if (!parsed)
            {
                ShouldBeAPreciseRefusal(error);
            }
            return;
        }
        var representable = input.Token.All(input.IsAllowed) && Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(input.Token)) == input.Token
            && (input.Token.Length == 0 || !(char.IsWhiteSpace(input.Token[0]) || char.IsWhiteSpace(input.Token[^1])));
        parsed.Should().Be(representable, $"the token {RobustnessMutations.Show(input.Token)} is{(representable ? "" : " not")} representable; error: {error}");
        if (parsed)
        {
            code!.OwnerToken.Should().Be(input.Token);
            code.Serial.Should().Be(QrRobustnessArbitraries.Serial);
            ShouldRoundTrip(code, input.Text);
            return;
        }
        ShouldBeAPreciseRefusal(error);
        if (input.Token.Length >= 6)
        {
            error.Should().NotContain(input.Token);
            Thrown.By<FormatException>(() => QrCode.Parse(input.Text)).Message.Should().NotContain(input.Token);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\r\n")]
    public void No_text_is_refused_with_a_message(string? text)
    {
        QrCode.TryParse(text, out var code, out var error).Should().BeFalse();
        code.Should().BeNull();
        error.Should().Be("the text is empty");
        QrCode.TryParse(Encoding.UTF8.GetBytes(text ?? ""), out _, out var bytesError).Should().BeFalse();
        bytesError.Should().Be("the text is empty");
    }

    /// <summary>
    /// Finding: a TR005 value may hold an unpaired surrogate (IsAllowed refuses only ':' and
    /// controls), from text and from <see cref="QrCode.ForTr005"/> alike. No QR payload can carry
    /// it: UTF-8 turns it into U+FFFD, so the code printed is not the code accepted.
    /// </summary>
    [Fact]
    public void A_value_with_an_unpaired_surrogate_is_refused_or_survives_the_UTF_8_payload()
    {
        const string Text = "LW:D0:0000000000000001:0000000000000002:00000000:O\uD800";

        if (QrCode.TryParse(Text, out var code, out var error))
        {
            QrCode.Parse(Encoding.UTF8.GetBytes(code.Encode())).Should().Be(code);
        }
        else
        {
            ShouldBeAPreciseRefusal(error);
        }
        QrCode built;
        try
        {
            built = QrCode.ForTr005(new JoinEui(1), new DevEui(2), ownerToken: "\uD800");
        }
        catch (ArgumentException)
        {
            return;
        }
        QrCode.Parse(Encoding.UTF8.GetBytes(built.Encode())).Should().Be(built);
    }

    private static void ShouldBeAPreciseRefusal(string? error)
    {
        error.Should().NotBeNullOrWhiteSpace();
        error!.Length.Should().BeLessThanOrEqualTo(MaxMessageLength, error);
        error.Where(char.IsControl).Should().BeEmpty($"the message {RobustnessMutations.Show(error)} should carry no control characters");
    }

    /// <summary>
    /// The canonical text parses back to the same code and is a fixed point; the identifiers come
    /// from the text (no silent zero), and the layout is the one the text's prefix names.
    /// </summary>
    private static void ShouldRoundTrip(QrCode code, string text)
    {
        var encoded = code.Encode();
        QrCode.TryParse(encoded, out var again, out var error).Should().BeTrue(error);
        again.Should().Be(code);
        again!.Encode().Should().Be(encoded);
        var payload = Encoding.UTF8.GetBytes(encoded);
        if (payload.Length <= QrCode.MaxLength)
        {
            // As a QR payload too. Left out: text of at most 1024 characters but over 1024 bytes (the
            // payload limit is in bytes).
            QrCode.TryParse(payload, out var fromBytes, out var bytesError).Should().BeTrue(bytesError);
            fromBytes.Should().Be(code);
        }

        text.Should().ContainEquivalentOf(code.DevEui.ToString());
        if (code.JoinEui is { } joinEui)
        {
            text.Should().ContainEquivalentOf(joinEui.ToString());
        }
        var trimmed = text.Trim();
        var expectedFormat = trimmed.StartsWith("LW:", StringComparison.Ordinal) ? QrFormat.Tr005
            : trimmed.StartsWith("URN:LW:", StringComparison.Ordinal) ? QrFormat.Tr005Draft2
            : trimmed.StartsWith("URN:DEV:", StringComparison.Ordinal) ? QrFormat.Tr005Draft3
            : QrFormat.DevEui;
        code.Format.Should().Be(expectedFormat);
        if (code.Format != QrFormat.DevEui)
        {
            code.ToTr005().Encode().Should().StartWith("LW:D0:");
        }
    }
}

public sealed record QrText(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record QrPayload(byte[] Bytes)
{
    public override string ToString() => $"\"{Convert.ToHexString(Bytes)}\" ({Bytes.Length} bytes)";
}

/// <summary>A code whose owner token (V in the drafts, O in TR005) was mutated; a serial always follows it.</summary>
public sealed record QrTokenCase(QrFormat Format, string Token, string Text)
{
    public char Separator => Format switch
    {
        QrFormat.Tr005 => ':',
        QrFormat.Tr005Draft2 => '%',
        _ => '_',
    };

    /// <summary>The characters each layout allows in a value (TR005: all but ':' and controls).</summary>
    public bool IsAllowed(char c) => Format switch
    {
        QrFormat.Tr005 => c != ':' && !char.IsControl(c),
        QrFormat.Tr005Draft2 => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or '$' or '*' or '+' or '-' or '.' or '/',
        _ => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z'),
    };

    public override string ToString() => $"{Format} token {RobustnessMutations.Show(Token)} in {RobustnessMutations.Show(Text)}";
}

public static class QrRobustnessArbitraries
{
    public const string Serial = "SN42";

    private const string Alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static Arbitrary<QrText> QrTexts() =>
        Gen.Frequency(
            (2, Valid),
            (7, from text in Valid from seed in RobustnessMutations.Seeds select RobustnessMutations.MutateText(text, seed)),
            (1, RobustnessMutations.RandomText(60)),
            (1, RandomFields))
        .Select(text => new QrText(text))
        .ToArbitrary();

    public static Arbitrary<QrPayload> QrPayloads() =>
        Gen.Frequency(
            (3, QrTexts().Generator.Select(t => Encoding.UTF8.GetBytes(t.Text))),
            (4, from text in Valid from seed in RobustnessMutations.Seeds select RobustnessMutations.MutateBytes(Encoding.UTF8.GetBytes(text), seed)),
            (1, RobustnessMutations.RandomBytes(60)))
        .Select(bytes => new QrPayload(bytes))
        .ToArbitrary();

    public static Arbitrary<QrTokenCase> QrTokenCases() =>
        (from format in Gen.Elements(QrFormat.Tr005, QrFormat.Tr005Draft2, QrFormat.Tr005Draft3)
         from head in Head(format)
         from length in Gen.Choose(6, 16)
         from token in Gen.ArrayOf(Gen.Elements(Alphanumeric.ToCharArray()), length).Select(chars => new string(chars))
         from seed in RobustnessMutations.Seeds
         let mutated = RobustnessMutations.MutateText(token, seed)
         select new QrTokenCase(format, mutated, format switch
         {
             QrFormat.Tr005 => $"{head}:O{mutated}:S{Serial}",
             QrFormat.Tr005Draft2 => $"{head}:%V{mutated}%S{Serial}",
             _ => $"{head}_V{mutated}_S{Serial}",
         })).ToArbitrary();

    /// <summary>A valid code of any layout, in canonical or peer spelling (lowercase hex, odd extension order, unknown tags).</summary>
    private static Gen<string> Valid =>
        from format in Gen.Elements(QrFormat.Tr005, QrFormat.Tr005, QrFormat.Tr005Draft2, QrFormat.Tr005Draft3, QrFormat.DevEui)
        from head in Head(format)
        from values in Gen.ArrayOf(Value(format), 3)
        from checksum in Gen.Elements("", "", "C1234", "Cabcd")
        from unknown in Gen.Elements("", "", "X1", "Q")
        from pad in Gen.Frequency((9, Gen.Constant(0)), (1, Gen.Choose(900, 1100)))
        select format switch
        {
            QrFormat.Tr005 => Join(':', head, checksum, Tagged('O', values[0]), unknown, Tagged('S', values[1] + new string('9', pad)), Tagged('P', values[2])),
            QrFormat.Tr005Draft2 => Draft2(head, Tagged('V', values[0]), Tagged('S', values[1]), Tagged('P', values[2])),
            QrFormat.Tr005Draft3 => Join('_', head, Tagged('V', values[0]), Tagged('S', values[1]), unknown, Tagged('P', values[2])),
            _ => head,
        };

    /// <summary>The identifiers: everything up to the ProfileID (or the bare DevEUI), hex in either case.</summary>
    private static Gen<string> Head(QrFormat format) =>
        from joinEui in Eui
        from devEui in Eui
        from profile in Gen.Choose(int.MinValue, int.MaxValue)
        from lower in Gen.Elements(false, false, true)
        let hex = (Func<string, string>)(s => lower ? s.ToLowerInvariant() : s)
        select format switch
        {
            QrFormat.Tr005 => $"LW:D0:{hex(joinEui)}:{hex(devEui)}:{hex($"{profile:X8}")}",
            QrFormat.Tr005Draft2 => $"URN:LW:DP:{hex(joinEui)}:{hex(devEui)}:{hex($"{profile:X8}")}",
            QrFormat.Tr005Draft3 => $"URN:DEV:LW:{hex(joinEui)}_{hex(devEui)}_{hex($"{profile:X8}")}",
            _ => hex(devEui),
        };

    /// <summary>Texts of ':' '_' '%'-separated random fields behind a real prefix, to reach every field check.</summary>
    private static Gen<string> RandomFields =>
        from prefix in Gen.Elements("LW:", "LW:D0:", "URN:LW:", "URN:LW:DP:", "URN:DEV:", "URN:DEV:LW:", "")
        from count in Gen.Choose(0, 9)
        from parts in Gen.ArrayOf(Gen.OneOf(RobustnessMutations.RandomText(6), Eui, Gen.Elements("D0", "DP", "OTOKEN", "V", "S1", "%V1", "_")), count)
        from separator in Gen.Elements(":", "_", "%")
        select prefix + string.Join(separator, parts);

    private static Gen<string> Eui =>
        Gen.ArrayOf(Gen.Choose(0, 255), 8).Select(bytes => BinaryPrimitives.ReadUInt64BigEndian([.. bytes.Select(b => (byte)b)]).ToString("X16", null));

    /// <summary>An extension value the layout allows, possibly empty.</summary>
    private static Gen<string> Value(QrFormat format)
    {
        var chars = format switch
        {
            QrFormat.Tr005 => Alphanumeric + "abcxyz $%*+-./_é€",
            QrFormat.Tr005Draft2 => Alphanumeric + "$*+-./",
            _ => Alphanumeric,
        };
        return from length in Gen.Choose(0, 10)
               from value in Gen.ArrayOf(Gen.Elements(chars.ToCharArray()), length)
               select new string(value).Trim();
    }

    private static string Tagged(char tag, string value) => value.Length == 0 ? "" : tag + value;

    private static string Join(char separator, params string[] parts) => string.Join(separator, parts.Where(p => p.Length > 0));

    private static string Draft2(string head, params string[] extensions)
    {
        var present = extensions.Where(e => e.Length > 0).ToList();
        return present.Count == 0 ? head : $"{head}:%{string.Join('%', present)}";
    }
}
