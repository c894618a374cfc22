using System.Buffers;
using System.Text;

namespace Custodian.Labels;

/// <summary>
/// Escapes text for XML, SVG and HTML alike (element content and double- or single-quoted attributes). Characters
/// XML forbids (most C0 controls, unpaired surrogates, U+FFFE/U+FFFF) become U+FFFD, so a hostile title cannot
/// break a document that an XML parser must read.
/// </summary>
internal static class Markup
{
    private static readonly SearchValues<char> NeedsAttention = SearchValues.Create(
        "&<>\"'\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    public static void Append(StringBuilder builder, string text)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var special = IndexOfSpecial(rest);
            if (special < 0)
            {
                builder.Append(rest);
                return;
            }
            builder.Append(rest[..special]);
            var (replacement, consumed) = Replace(rest[special..]);
            builder.Append(replacement);
            rest = rest[(special + consumed)..];
        }
    }

    public static void Write(TextWriter writer, string text)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var special = IndexOfSpecial(rest);
            if (special < 0)
            {
                writer.Write(rest);
                return;
            }
            writer.Write(rest[..special]);
            var (replacement, consumed) = Replace(rest[special..]);
            writer.Write(replacement);
            rest = rest[(special + consumed)..];
        }
    }

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        Append(builder, text);
        return builder.ToString();
    }

    private static int IndexOfSpecial(ReadOnlySpan<char> text)
    {
        var special = text.IndexOfAny(NeedsAttention);
        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        return special < 0 ? surrogate : surrogate < 0 ? special : Math.Min(special, surrogate);
    }

    /// <summary>What to write for the special character at the start of <paramref name="text"/>, and how many chars it stands for.</summary>
    private static (string Replacement, int Consumed) Replace(ReadOnlySpan<char> text) => text[0] switch
    {
        '&' => ("&amp;", 1),
        '<' => ("&lt;", 1),
        '>' => ("&gt;", 1),
        '"' => ("&quot;", 1),
        '\'' => ("&#39;", 1),
        // A well-formed surrogate pair is an ordinary character outside the BMP: kept.
        var high when char.IsHighSurrogate(high) && text.Length > 1 && char.IsLowSurrogate(text[1]) => (text[..2].ToString(), 2),
        _ => ("\uFFFD", 1),
    };
}
