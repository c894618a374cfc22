using System.Diagnostics.CodeAnalysis;

namespace Custodian.Core.Peers;

/// <summary>
/// The text identifiers of peers as Custodian stores them: an NSID is an EUI-64 (Backend Interfaces 1.1),
/// kept as 16 uppercase hex digits; an AS-ID is a short name (often a host name).
/// </summary>
public static class PeerIdentifiers
{
    public const int MaxAsIdLength = 255;

    public static bool TryParseNsId(string text, [NotNullWhen(true)] out string? nsId, [NotNullWhen(false)] out string? error)
    {
        nsId = null;
        if (!NsId.TryParse(text.AsSpan().Trim(), out var parsed))
        {
            error = "An NSID is an EUI-64: 16 hex digits.";
            return false;
        }
        nsId = parsed.ToString();
        error = null;
        return true;
    }

    public static bool TryParseAsId(string text, [NotNullWhen(true)] out string? asId, [NotNullWhen(false)] out string? error)
    {
        asId = null;
        if (text.Length is 0 or > MaxAsIdLength)
        {
            error = $"An AS-ID is 1 to {MaxAsIdLength} characters, got {text.Length}.";
            return false;
        }
        var bad = text.AsSpan().IndexOfAnyExcept(AsIdCharacters);
        if (bad >= 0)
        {
            error = $"An AS-ID holds letters, digits, '.', ':', '_' and '-'; character {bad + 1} is not one of them.";
            return false;
        }
        asId = text;
        error = null;
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> AsIdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:_-");
}
