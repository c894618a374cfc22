using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Custodian.Core.Custody;

/// <summary>
/// The text forms of our KEKs: a key is 16, 24 or 32 bytes of hex; a label is 1 to 64 of
/// <c>[A-Za-z0-9._-]</c>; a key file holds <c>label=hex</c> lines (blank lines and <c>#</c> comments ignored).
/// Errors name the line and the label, never the key.
/// </summary>
public static class KekText
{
    public const int MaxLabelLength = 64;

    public static bool TryParseKey(string? hex, [NotNullWhen(true)] out byte[]? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        var text = hex?.Trim() ?? "";
        if (text.Length is not (32 or 48 or 64))
        {
            error = $"a KEK is 16, 24 or 32 bytes written as 32, 48 or 64 hex digits, got {text.Length} characters";
            return false;
        }
        try
        {
            key = Convert.FromHexString(text);
            error = null;
            return true;
        }
        catch (FormatException)
        {
            error = "a KEK holds only hex digits";
            return false;
        }
    }

    public static bool IsValidLabel(string? label, [NotNullWhen(false)] out string? error)
    {
        error = string.IsNullOrEmpty(label) || label.Length > MaxLabelLength
            ? $"a KEK label is 1 to {MaxLabelLength} characters"
            : label.AsSpan().IndexOfAnyExcept(LabelCharacters) >= 0
                ? $"KEK label '{label}' may hold only letters, digits, '.', '_' and '-'"
                : null;
        return error is null;
    }

    /// <summary>Reads a key file's lines, in order; the last one is the default current label.</summary>
    public static bool TryParseFile(
        IEnumerable<string> lines,
        [NotNullWhen(true)] out List<(string Label, byte[] Key)>? entries,
        [NotNullWhen(false)] out string? error)
    {
        entries = [];
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            var label = separator < 0 ? "" : line[..separator].Trim();
            if (separator < 0)
            {
                error = $"line {number.ToString(CultureInfo.InvariantCulture)} is not 'label=hex'";
                entries = null;
                return false;
            }
            if (!IsValidLabel(label, out error) || !TryParseKey(line[(separator + 1)..], out var key, out error))
            {
                error = $"line {number.ToString(CultureInfo.InvariantCulture)}: {error}";
                entries = null;
                return false;
            }
            if (entries.Exists(e => e.Label == label))
            {
                error = $"line {number.ToString(CultureInfo.InvariantCulture)}: KEK label '{label}' is given twice";
                entries = null;
                return false;
            }
            entries.Add((label, key));
        }
        if (entries.Count == 0)
        {
            error = "it holds no 'label=hex' line";
            entries = null;
            return false;
        }
        error = null;
        return true;
    }

    public static string FormatLine(string label, ReadOnlySpan<byte> key) => $"{label}={Convert.ToHexStringLower(key)}";

    private static readonly System.Buffers.SearchValues<char> LabelCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
}
