namespace Custodian.Core.Claims.Routing;

/// <summary>One route: JoinEUIs under <see cref="Prefix"/> are claimed at the Join Server named <see cref="JoinServer"/>.</summary>
public sealed record ClaimRoute(JoinEuiPrefix Prefix, string JoinServer)
{
    public bool IsLocal => JoinServer == ClaimRouteTable.Local;
}

/// <summary>
/// Which Join Server holds the devices of a JoinEUI: the route with the longest prefix that contains it, or this
/// server (<see cref="Local"/>) when none does. Two routes with the same prefix are refused; nested prefixes are
/// the point (a longer "local" route carves a block out of a remote one). Pure and immutable.
/// </summary>
public sealed class ClaimRouteTable
{
    /// <summary>The route name of this server.</summary>
    public const string Local = LocalClaimService.JoinServerName;

    // Per prefix length, longest first: the routes by their masked start.
    private readonly (int Length, Dictionary<ulong, ClaimRoute> Routes)[] _byLength;

    /// <exception cref="ArgumentException">Two routes have the same prefix.</exception>
    public ClaimRouteTable(IEnumerable<ClaimRoute> routes)
    {
        var all = routes.ToList();
        var byLength = new SortedDictionary<int, Dictionary<ulong, ClaimRoute>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var route in all)
        {
            if (!byLength.TryGetValue(route.Prefix.Length, out var sameLength))
            {
                sameLength = [];
                byLength[route.Prefix.Length] = sameLength;
            }
            if (!sameLength.TryAdd(route.Prefix.Start.Value, route))
            {
                throw new ArgumentException($"Two routes have the prefix {route.Prefix}.", nameof(routes));
            }
        }
        Routes = all;
        _byLength = [.. byLength.Select(pair => (pair.Key, pair.Value))];
    }

    public static ClaimRouteTable Empty { get; } = new([]);

    /// <summary>The routes as configured.</summary>
    public IReadOnlyList<ClaimRoute> Routes { get; }

    /// <summary>The names of the remote Join Servers some route leads to.</summary>
    public IEnumerable<string> RemoteJoinServers => Routes.Where(r => !r.IsLocal).Select(r => r.JoinServer).Distinct(StringComparer.Ordinal);

    /// <summary>The longest route containing <paramref name="joinEui"/>, or null (then the device is local).</summary>
    public ClaimRoute? Match(JoinEui joinEui)
    {
        foreach (var (length, routes) in _byLength)
        {
            var masked = length == 0 ? 0 : joinEui.Value & (ulong.MaxValue << (64 - length));
            if (routes.TryGetValue(masked, out var route))
            {
                return route;
            }
        }
        return null;
    }

    /// <summary>The Join Server holding devices of <paramref name="joinEui"/>: a configured name, or <see cref="Local"/>.</summary>
    public string JoinServerFor(JoinEui joinEui) => Match(joinEui)?.JoinServer ?? Local;
}
