using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Types;

/// <summary>
/// The text parsers of the identifiers, the JoinEUI prefix, the MAC version and keys are total:
/// any text gives either a value that formats back to text parsing to the same value, or a
/// non-empty message; the throwing <c>Parse</c> agrees and throws only <see cref="FormatException"/>
/// with that message. Inputs are canonical texts mutated as people mistype them, and random text.
/// </summary>
public sealed partial class TypesRobustnessTests
{
    private const int Cases = 1000;

    private delegate bool TryParser<T>(ReadOnlySpan<char> text, out T value, [NotNullWhen(false)] out string? error);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void DevEui_text_is_parsed_exactly(HexText16 input) =>
        ShouldParseHexIdentifier<DevEui>(input.Text, 16, "DevEUI", DevEui.TryParse, DevEui.Parse);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void JoinEui_text_is_parsed_exactly(HexText16 input) =>
        ShouldParseHexIdentifier<JoinEui>(input.Text, 16, "JoinEUI", JoinEui.TryParse, JoinEui.Parse);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void NetId_text_is_parsed_exactly(HexText6 input) =>
        ShouldParseHexIdentifier<NetId>(input.Text, 6, "NetID", NetId.TryParse, NetId.Parse);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void JoinNonce_text_is_parsed_exactly(HexText6 input) =>
        ShouldParseHexIdentifier<JoinNonce>(input.Text, 6, "JoinNonce", JoinNonce.TryParse, JoinNonce.Parse);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void DevAddr_text_is_parsed_exactly(HexText8 input) =>
        ShouldParseHexIdentifier<DevAddr>(input.Text, 8, "DevAddr", DevAddr.TryParse, DevAddr.Parse);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void DevNonce_text_is_parsed_exactly(HexText4 input) =>
        ShouldParseHexIdentifier<DevNonce>(input.Text, 4, "DevNonce", DevNonce.TryParse, DevNonce.Parse);

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void JoinEuiPrefix_text_is_parsed_or_refused_precisely(PrefixText input)
    {
        var text = input.Text;
        var parsed = JoinEuiPrefix.TryParse(text, out var prefix, out var error);

        SpanParsableAgrees<JoinEuiPrefix>(text, parsed, prefix);
        if (!parsed)
        {
            ShouldBeRefused(error, "JoinEUI prefix", () => JoinEuiPrefix.Parse(text));
            return;
        }
        prefix.Length.Should().BeInRange(0, 64);
        var trimmed = text.Trim();
        if (!trimmed.Contains('/', StringComparison.Ordinal))
        {
            // Bare digits: each one fixes four bits, and they are the leading digits of the start.
            prefix.Length.Should().Be(4 * trimmed.Length);
            prefix.Start.ToString().Should().StartWith(trimmed.ToUpperInvariant());
        }
        // No bits beyond the length, so that the canonical text reads back as the same prefix.
        prefix.Contains(prefix.Start).Should().BeTrue();
        JoinEuiPrefix.Parse(prefix.ToString()).Should().Be(prefix);
        JoinEuiPrefix.Parse(text).Should().Be(prefix);
    }

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void MacVersion_text_is_parsed_or_refused_precisely(MacVersionText input)
    {
        var text = input.Text;
        var parsed = MacVersion.TryParse(text, out var version, out var error);

        // The documented spellings: 1.0, 1.0.0 to 1.0.4, 1.1, 1.1.0, with an optional v or MAC_V prefix (then '_' for '.').
        parsed.Should().Be(IsDocumentedMacVersionSpelling(text));
        SpanParsableAgrees<MacVersion>(text, parsed, version);
        if (!parsed)
        {
            ShouldBeRefused(error, "MAC version", () => MacVersion.Parse(text));
            return;
        }
        MacVersion.All.Should().Contain(version);
        MacVersion.Parse(version.ToString()).Should().Be(version);
        MacVersion.Parse(text).Should().Be(version);
    }

    [Property(Arbitrary = [typeof(TextArbitraries)], MaxTest = Cases)]
    public void Key_text_is_parsed_exactly_and_never_echoed(KeyText input)
    {
        var text = input.Text;
        var parsed = Key128.TryParse(text, out var key, out var error);
        var trimmed = text.Trim();

        parsed.Should().Be(trimmed.Length == 32 && trimmed.All(char.IsAsciiHexDigit));
        if (parsed)
        {
            key.ExportSecretHex().Should().Be(trimmed.ToUpperInvariant());
            Key128.Parse(text).Should().Be(key);
            key.ToString().Should().Be("(redacted)");
            return;
        }
        key.Should().Be(default(Key128));
        ShouldBeRefused(error, "Key", () => Key128.Parse(text));
        // Only fixed sentences, with at most a count in them: nothing of the text, which may be a secret.
        KeyMessage().IsMatch(error!).Should().BeTrue($"'{error}' should be one of the key messages");
        if (trimmed.Length >= 4)
        {
            error.Should().NotContain(trimmed);
        }
        HexWindows(text, 6).Where(window => error!.Contains(window, StringComparison.OrdinalIgnoreCase))
            .Should().BeEmpty("the message must not echo key digits");
    }

    private static void ShouldParseHexIdentifier<T>(string text, int digits, string typeName, TryParser<T> tryParse, Func<string, T> parse)
        where T : struct, ISpanParsable<T>, ISpanFormattable
    {
        var parsed = tryParse(text, out var value, out var error);
        var trimmed = text.Trim();

        // Exactly the right number of ASCII hex digits, with only whitespace around them; anything else is refused.
        parsed.Should().Be(trimmed.Length == digits && trimmed.All(char.IsAsciiHexDigit));
        SpanParsableAgrees(text, parsed, value);
        if (!parsed)
        {
            value.Should().Be(default(T), "a refused text must not leave a value behind");
            ShouldBeRefused(error, typeName, () => parse(text));
            return;
        }
        var canonical = value.ToString(null, CultureInfo.InvariantCulture);
        canonical.Should().Be(trimmed.ToUpperInvariant());
        parse(canonical).Should().Be(value);
        parse(text).Should().Be(value);
        Span<char> formatted = stackalloc char[digits];
        value.TryFormat(formatted, out var written, default, null).Should().BeTrue();
        formatted[..written].ToString().Should().Be(canonical);
    }

    /// <summary>The generic ISpanParsable entry points (used by configuration binding) say the same.</summary>
    private static void SpanParsableAgrees<T>(string text, bool parsed, T value)
        where T : ISpanParsable<T>
    {
        T.TryParse(text.AsSpan(), CultureInfo.InvariantCulture, out var viaSpan).Should().Be(parsed);
        T.TryParse(text, CultureInfo.InvariantCulture, out var viaString).Should().Be(parsed);
        if (parsed)
        {
            viaSpan.Should().Be(value);
            viaString.Should().Be(value);
            T.Parse(text, CultureInfo.InvariantCulture).Should().Be(value);
        }
        else
        {
            Thrown.By<FormatException>(() => T.Parse(text, CultureInfo.InvariantCulture)).Message.Should().NotBeNullOrWhiteSpace();
        }
    }

    /// <summary>A refusal names its subject, and the throwing Parse throws a FormatException with the same message.</summary>
    private static void ShouldBeRefused<T>(string? error, string subject, Func<T> parse)
    {
        error.Should().NotBeNullOrWhiteSpace();
        error.Should().StartWith(subject);
        Thrown.By<FormatException>(() => parse()).Message.Should().Be(error);
    }

    private static bool IsDocumentedMacVersionSpelling(string text)
    {
        var s = text.Trim().ToUpperInvariant();
        if (s.StartsWith("MAC_V", StringComparison.Ordinal))
        {
            s = s[5..].Replace('_', '.');
        }
        else if (s.StartsWith('V'))
        {
            s = s[1..];
        }
        return s is "1.0" or "1.0.0" or "1.0.1" or "1.0.2" or "1.0.3" or "1.0.4" or "1.1" or "1.1.0";
    }

    /// <summary>Every run of <paramref name="length"/> consecutive hex digits in the text.</summary>
    private static IEnumerable<string> HexWindows(string text, int length)
    {
        for (var i = 0; i + length <= text.Length; i++)
        {
            var window = text.Substring(i, length);
            if (window.All(char.IsAsciiHexDigit))
            {
                yield return window;
            }
        }
    }

    [GeneratedRegex(@"^(Key is empty\.|Key must be 32 hex digits, got \d+ characters\.|Key has a non-hex character\.)$")]
    private static partial Regex KeyMessage();
}

/// <summary>Text for a 16-digit identifier (EUIs), printed quoted with escapes so that a failure shows exactly what was read.</summary>
public sealed record HexText16(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record HexText8(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record HexText6(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record HexText4(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record PrefixText(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record MacVersionText(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public sealed record KeyText(string Text)
{
    public override string ToString() => RobustnessMutations.Show(Text);
}

public static class TextArbitraries
{
    public static Arbitrary<HexText16> HexTexts16() => Mutated(Hex(16)).Select(t => new HexText16(t)).ToArbitrary();

    public static Arbitrary<HexText8> HexTexts8() => Mutated(Hex(8)).Select(t => new HexText8(t)).ToArbitrary();

    public static Arbitrary<HexText6> HexTexts6() => Mutated(Hex(6)).Select(t => new HexText6(t)).ToArbitrary();

    public static Arbitrary<HexText4> HexTexts4() => Mutated(Hex(4)).Select(t => new HexText4(t)).ToArbitrary();

    public static Arbitrary<KeyText> KeyTexts() => Mutated(Hex(32)).Select(t => new KeyText(t)).ToArbitrary();

    /// <summary>Prefixes as written: bare digits (1 to 16), or 16 digits, '/', a length (bits beyond it cleared or not).</summary>
    public static Arbitrary<PrefixText> PrefixTexts() =>
        Mutated(Gen.OneOf(
            Gen.Choose(1, 16).SelectMany(Hex),
            from start in Generators.JoinEuis().Generator
            from length in Gen.Choose(0, 64)
            from clear in Gen.Elements(true, true, false)
            select $"{(clear ? new JoinEuiPrefix(start, length).Start : start)}/{length.ToString(CultureInfo.InvariantCulture)}"))
        .Select(t => new PrefixText(t)).ToArbitrary();

    public static Arbitrary<MacVersionText> MacVersionTexts() =>
        Mutated(Gen.Elements("1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.1", "1.1.0", "v1.0.3", "V1.1", "MAC_V1_0_3", "MAC_V1_1", "mac_v1_0_4"))
        .Select(t => new MacVersionText(t)).ToArbitrary();

    /// <summary>Valid text as is, mutated, or random text.</summary>
    private static Gen<string> Mutated(Gen<string> valid) =>
        Gen.Frequency(
            (2, valid),
            (7, from text in valid from seed in RobustnessMutations.Seeds select RobustnessMutations.MutateText(text, seed)),
            (2, RobustnessMutations.RandomText(40)));

    /// <summary>Hex digits in either case, as configuration files and peers write them.</summary>
    private static Gen<string> Hex(int digits) =>
        Gen.ArrayOf(Gen.Elements("0123456789ABCDEFabcdef".ToCharArray()), digits).Select(chars => new string(chars));
}
