namespace Custodian.BackendInterfaces;

/// <summary>The version of the Backend Interfaces protocol (TS002) a message is spoken in.</summary>
public enum BackendInterfacesVersion
{
    V1_0,
    V1_1,
}

public static class BackendInterfacesVersions
{
    /// <summary>
    /// Accepts "1.0" and "1.1" as the specification writes them, and the "1.0.0", "1.1.0"
    /// and "BI1.0" spellings some peers and configuration files use.
    /// </summary>
    public static bool TryParse(string? text, out BackendInterfacesVersion version)
    {
        var s = (text ?? "").Trim();
        if (s.StartsWith("BI", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }
        switch (s)
        {
            case "1.0" or "1.0.0":
                version = BackendInterfacesVersion.V1_0;
                return true;
            case "1.1" or "1.1.0":
                version = BackendInterfacesVersion.V1_1;
                return true;
            default:
                version = default;
                return false;
        }
    }

    /// <summary>The text the specification uses: "1.0" or "1.1".</summary>
    public static string ToWireText(this BackendInterfacesVersion version) =>
        version == BackendInterfacesVersion.V1_0 ? "1.0" : "1.1";
}
