using System.Diagnostics.CodeAnalysis;

namespace Custodian.Core.Tenancy;

/// <summary>The rights an API key may hold (DESIGN.md). <see cref="Admin"/> implies every other right.</summary>
[Flags]
public enum ApiRights
{
    None = 0,
    Admin = 1,
    DevicesProvision = 2,
    DevicesRead = 4,
    DevicesClaim = 8,
    DevicesUnclaim = 16,
    EventsRead = 32,
    All = Admin | DevicesProvision | DevicesRead | DevicesClaim | DevicesUnclaim | EventsRead,
}

/// <summary>The wire names of <see cref="ApiRights"/>: <c>admin</c>, <c>devices:provision</c>, …</summary>
public static class ApiRightNames
{
    private static readonly (ApiRights Right, string Name)[] Names =
    [
        (ApiRights.Admin, "admin"),
        (ApiRights.DevicesProvision, "devices:provision"),
        (ApiRights.DevicesRead, "devices:read"),
        (ApiRights.DevicesClaim, "devices:claim"),
        (ApiRights.DevicesUnclaim, "devices:unclaim"),
        (ApiRights.EventsRead, "events:read"),
    ];

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static bool Grants(this ApiRights held, ApiRights wanted) =>
        held.HasFlag(ApiRights.Admin) || (held & wanted) == wanted;

    public static IReadOnlyList<string> ToNames(this ApiRights rights) =>
        [.. Names.Where(n => rights.HasFlag(n.Right)).Select(n => n.Name)];

    public static bool TryParse(IEnumerable<string> names, out ApiRights rights, [NotNullWhen(false)] out string? error)
    {
        rights = ApiRights.None;
        foreach (var name in names)
        {
            var match = Array.FindIndex(Names, n => n.Name == name);
            if (match < 0)
            {
                error = $"'{name}' is not a right; the rights are {string.Join(", ", All)}.";
                return false;
            }
            rights |= Names[match].Right;
        }
        error = null;
        return true;
    }
}
