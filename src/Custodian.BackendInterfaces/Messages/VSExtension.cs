using System.Text.Json;

namespace Custodian.BackendInterfaces;

/// <summary>A vendor-specific extension: the vendor's OUI and an object we pass through untouched.</summary>
public sealed class VSExtension
{
    /// <summary>The vendor's IEEE OUI as 6 hex digits, e.g. "EC656E" for The Things Industries.</summary>
    public string VendorID { get; init; } = "";

    public JsonElement? Object { get; init; }
}
