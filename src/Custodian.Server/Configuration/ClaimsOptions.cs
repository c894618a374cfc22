namespace Custodian.Server.Configuration;

/// <summary>The <c>Custodian:Claims</c> section: claiming's settings (the one place that holds their defaults).</summary>
public sealed class ClaimsOptions
{
    public const string Section = CustodianOptions.Section + ":Claims";

    /// <summary>Other Join Servers claims can be routed to, by name (<c>Custodian:Claims:JoinServers:{name}</c>).</summary>
    public Dictionary<string, RemoteJoinServerOptions> JoinServers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>JoinEUI prefixes and the Join Server that claims them; unmatched JoinEUIs are claimed here.</summary>
    public List<ClaimRouteOptions> Routes { get; set; } = [];
}
