using System.Text;

namespace Custodian.Labels.Tests;

/// <summary>Texts to encode, generated from a fixed seed: TR005-like, ASCII, digits, the alphanumeric set, non-ASCII.</summary>
internal static class QrTexts
{
    private const string Hex = "0123456789ABCDEF";
    private const string ClaimAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static readonly string[] NonAscii = ["é", "ü", "ß", "ç", "ñ", "€", "Ω", "ж", "漢", "字", "😀", "\u00A0", "ÿ"];

    public static IEnumerable<(string Kind, string Text)> Generate()
    {
        var random = new Random(18004);
        for (var i = 0; i < 120; i++)
        {
            yield return ("TR005", Tr005(random));
        }
        for (var length = 1; length <= 301; length += 3)
        {
            yield return ("ASCII", Repeat(length, () => (char)random.Next(0x20, 0x7F)));
        }
        for (var length = 1; length <= 300; length += 7)
        {
            yield return ("digits", Repeat(length, () => (char)random.Next('0', '9' + 1)));
            yield return ("alphanumeric", Repeat(length, () => Alphanumeric[random.Next(Alphanumeric.Length)]));
        }
        for (var length = 1; length <= 200; length += 4)
        {
            yield return ("non-ASCII", Concatenate(length, () => random.Next(4) == 0
                ? NonAscii[random.Next(NonAscii.Length)]
                : ((char)random.Next(0x20, 0x7F)).ToString()));
        }
        // Mode switches at the edges of annex J.2's run lengths, in each version range (1–9, 10–26, 27–40).
        foreach (var filler in new[] { 20, 200, 700 })
        {
            var bytes = new string('a', filler);
            foreach (var run in new[] { "12345", "123456", "1234567", "12345678", "123456789", "ABCDEFGHIJ", "ABCDEFGHIJK", "ABCDEFGHIJKLMNO", "ABCDEFGHIJKLMNOP" })
            {
                yield return ("mixed", bytes + run + bytes);
                yield return ("mixed", run + bytes);
                yield return ("mixed", bytes + run);
            }
            var letters = string.Concat(Enumerable.Repeat("ABCDEFGHIJ", (filler / 10) + 1));
            foreach (var digits in new[] { "123456789012", "1234567890123", "12345678901234", "1234567890123456", "12345678901234567" })
            {
                yield return ("mixed", letters + digits + letters);
                yield return ("mixed", digits + letters);
            }
        }
        // Only Latin-1 beyond ASCII: still UTF-8 behind the ECI header, never Latin-1 bytes.
        yield return ("Latin-1", "LW:D0:70B3D57ED0000010:0018B20000000104:00000000:OCODE1234:Sserial-é-ü");
        yield return ("Latin-1", "é");
        yield return ("control", "line one\nline two\ttab\r\n");
    }

    private static string Tr005(Random random)
    {
        var text = new StringBuilder("LW:D0:");
        text.Append(Repeat(16, () => Hex[random.Next(16)])).Append(':');
        text.Append(Repeat(16, () => Hex[random.Next(16)])).Append(':');
        text.Append(Repeat(8, () => Hex[random.Next(16)])).Append(":O");
        text.Append(Repeat(random.Next(4, 33), () => ClaimAlphabet[random.Next(ClaimAlphabet.Length)]));
        switch (random.Next(4))
        {
            case 0:
                text.Append(":S").Append(Repeat(random.Next(1, 24), () => ClaimAlphabet[random.Next(ClaimAlphabet.Length)]));
                break;
            case 1:
                // A lowercase serial: no longer alphanumeric, so bytes.
                text.Append(":Ssn-").Append(Repeat(random.Next(1, 12), () => (char)random.Next('a', 'z' + 1)));
                break;
            case 2:
                text.Append(":P").Append(Repeat(8, () => Hex[random.Next(16)])).Append(":C").Append(Repeat(4, () => Hex[random.Next(16)]));
                break;
            default:
                break;
        }
        return text.ToString();
    }

    private static string Repeat(int length, Func<char> next) => Concatenate(length, () => next().ToString());

    private static string Concatenate(int count, Func<string> next)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(next());
        }
        return text.ToString();
    }
}
