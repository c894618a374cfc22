namespace Custodian.ClaimFiles;

/// <summary>The spellings of EUIs people copy from labels and consoles.</summary>
public static class EuiText
{
    /// <summary>Accepts 00-18-B2-…, 00:18:b2:…, 0x0018…: the separators and prefix are dropped, the case is kept.</summary>
    public static string Normalize(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[2..];
        }
        return trimmed.Replace("-", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
    }
}
