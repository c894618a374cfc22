using System.Globalization;
using System.Text;

namespace Custodian.Server.Logging;

/// <summary>
/// Makes text a peer or a client chose safe to write into a log: control characters (newlines among them),
/// Unicode line and paragraph separators and bidirectional overrides are escaped as <c>\n</c> or <c>\uXXXX</c>,
/// so one request cannot forge a second log line, and the text is cut to a bounded length.
/// </summary>
public static class LogText
{
    /// <summary>Long enough for any NetID, JoinEUI, NSID or AS-ID name one would read in a log line.</summary>
    public const int DefaultMaxLength = 64;

    public static string Safe(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var cut = text.Length > maxLength;
        var span = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        if (!cut && span.IndexOfAnyInRange('\0', '\u001F') < 0 && !HasOtherUnsafe(span))
        {
            return text;
        }
        var builder = new StringBuilder(span.Length + 16);
        foreach (var c in span)
        {
            Append(builder, c);
        }
        if (cut)
        {
            builder.Append(CultureInfo.InvariantCulture, $"…(+{text.Length - maxLength} chars)");
        }
        return builder.ToString();
    }

    private static bool HasOtherUnsafe(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }
        return false;
    }

    private static void Append(StringBuilder builder, char c)
    {
        switch (c)
        {
            case '\n':
                builder.Append("\\n");
                break;
            case '\r':
                builder.Append("\\r");
                break;
            case '\t':
                builder.Append("\\t");
                break;
            default:
                if (IsUnsafe(c))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                }
                else
                {
                    builder.Append(c);
                }
                break;
        }
    }

    /// <summary>Control characters (C0, DEL, C1), line and paragraph separators, bidi controls, and lone surrogates.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069'
        || char.IsSurrogate(c);
}
