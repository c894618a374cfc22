using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Custodian.Lorawan.Tests;

/// <summary>
/// Mutations of valid inputs for the robustness properties: each takes a seed, so a failing case
/// is the printed input itself and replays without FsCheck. Text mutations are the mistakes people
/// and peers make (case, separators, whitespace, a typo such as 'G' for a hex digit, truncation),
/// plus characters that trip parsers (controls, lone surrogates, non-ASCII digits and spaces).
/// </summary>
internal static class RobustnessMutations
{
    /// <summary>Characters worth inserting: separators, whitespace of several kinds, controls, surrogates, look-alikes.</summary>
    public const string Interesting =
        ":_%/-.,;'\"\\ \t\r\n\0\u0001\u001F\u007F\u0085\u00A0\u2003\u2028\u3000\uFEFF\uD800\uDC00\uFFFD"
        + "xXgGzZoOlI0123456789abcdefABCDEF\u00E9\u0660\u0669\uFF10\uFF21€ıİ";

    private const string Whitespace = " \t\r\n\u00A0\u2003\u2028\u3000\u0085";

    public static Gen<int> Seeds => Gen.Choose(0, int.MaxValue);

    /// <summary>Text of 0 to <paramref name="maxLength"/> characters, mostly from <see cref="Interesting"/>, some from anywhere in the BMP.</summary>
    public static Gen<string> RandomText(int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from chars in Gen.ArrayOf(
            Gen.OneOf(Gen.Elements(Interesting.ToCharArray()), Gen.Choose(0, 0xFFFF).Select(i => (char)i), Gen.Choose(0x20, 0x7E).Select(i => (char)i)),
            length)
        select new string(chars);

    public static Gen<byte[]> RandomBytes(int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), length)
        select bytes;

    /// <summary>The text in quotes, every character outside printable ASCII escaped, so a failure shows exactly what was read.</summary>
    public static string Show(string text) =>
        "\"" + string.Concat(text.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}")) + "\"";

    /// <summary>One to three text mutations chosen by <paramref name="seed"/>.</summary>
    public static string MutateText(string text, int seed)
    {
        var random = new Random(seed);
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            text = MutateTextOnce(text, random);
        }
        return text;
    }

    /// <summary>One to three byte mutations chosen by <paramref name="seed"/>.</summary>
    public static byte[] MutateBytes(byte[] bytes, int seed)
    {
        var random = new Random(seed);
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            bytes = MutateBytesOnce(bytes, random);
        }
        return bytes;
    }

    public static string MutateTextOnce(string text, Random random)
    {
        var sb = new StringBuilder(text);
        var at = random.Next(text.Length + 1);
        var some = text.Length == 0 ? 0 : random.Next(text.Length);
        switch (random.Next(13))
        {
            case 0 when text.Length > 0:
                // Change the case of one character.
                var c = sb[some];
                sb[some] = char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);
                break;
            case 1:
                return random.Next(2) == 0 ? text.ToLowerInvariant() : text.ToUpperInvariant();
            case 2:
                sb.Insert(at, ':');
                break;
            case 3:
                sb.Insert(at, Whitespace[random.Next(Whitespace.Length)]);
                break;
            case 4:
                // A typo: a hex digit becomes 'G' (or 'g').
                var hexAt = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiHexDigit(text[i])).ToList();
                if (hexAt.Count > 0)
                {
                    sb[hexAt[random.Next(hexAt.Count)]] = random.Next(2) == 0 ? 'G' : 'g';
                }
                break;
            case 5 when text.Length > 0:
                sb.Remove(some, 1);
                break;
            case 6:
                return text[..random.Next(text.Length + 1)];
            case 7:
                for (var n = 1 + random.Next(4); n > 0; n--)
                {
                    sb.Append(Interesting[random.Next(Interesting.Length)]);
                }
                break;
            case 8 when text.Length > 0:
                sb[some] = Interesting[random.Next(Interesting.Length)];
                break;
            case 9 when text.Length > 0:
                // Duplicate a slice (a field typed twice, a doubled separator).
                var length = 1 + random.Next(Math.Min(8, text.Length - some));
                sb.Insert(some, text.Substring(some, length));
                break;
            case 10:
                sb.Insert(random.Next(2) == 0 ? 0 : at, random.Next(2) == 0 ? "0x" : "0X");
                break;
            case 11:
                sb.Insert(at, Interesting[random.Next(Interesting.Length)]);
                break;
            default:
                // Surround with whitespace (a scanner's line end, a pasted value).
                sb.Insert(0, Whitespace[random.Next(Whitespace.Length)]).Append(Whitespace[random.Next(Whitespace.Length)]);
                break;
        }
        return sb.ToString();
    }

    public static byte[] MutateBytesOnce(byte[] bytes, Random random)
    {
        var list = bytes.ToList();
        var at = random.Next(list.Count + 1);
        var some = list.Count == 0 ? 0 : random.Next(list.Count);
        switch (random.Next(8))
        {
            case 0 when list.Count > 0:
                list[some] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when list.Count > 0:
                list[some] = (byte)random.Next(256);
                break;
            case 2:
                return bytes[..random.Next(bytes.Length + 1)];
            case 3:
                for (var n = 1 + random.Next(16); n > 0; n--)
                {
                    list.Add((byte)random.Next(256));
                }
                break;
            case 4:
                list.Insert(at, (byte)random.Next(256));
                break;
            case 5 when list.Count > 0:
                list.RemoveAt(some);
                break;
            case 6 when list.Count > 0:
                var length = 1 + random.Next(Math.Min(16, list.Count - some));
                list.InsertRange(some, list.GetRange(some, length));
                break;
            default:
                byte[] interesting = [0x00, 0x01, 0x20, 0x7F, 0x80, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xFF];
                if (list.Count > 0)
                {
                    list[some] = interesting[random.Next(interesting.Length)];
                }
                break;
        }
        return [.. list];
    }
}

/// <summary>
/// Catches the one exception type a throwing parser documents and lets any other escape, so the
/// test fails on it. Far cheaper than an assertion library's Throw, which matters at 1000 cases.
/// </summary>
internal static class Thrown
{
    public static TException By<TException>(Action act)
        where TException : Exception
    {
        try
        {
            act();
        }
        catch (TException e)
        {
            return e;
        }
        throw Xunit.Sdk.FailException.ForFailure($"Expected a {typeof(TException).Name}, but nothing was thrown.");
    }
}
