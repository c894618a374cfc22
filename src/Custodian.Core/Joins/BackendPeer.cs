using Custodian.Core.Peers;

namespace Custodian.Core.Joins;

/// <summary>
/// Who sent a Backend Interfaces request, as its credential (bearer token or client certificate) proved:
/// a registered network, a registered application server, or nobody.
/// </summary>
public readonly record struct BackendPeer(Network? Network, ApplicationServer? ApplicationServer)
{
    public static BackendPeer None => default;

    public static BackendPeer Of(Network network) => new(network, null);

    public static BackendPeer Of(ApplicationServer applicationServer) => new(null, applicationServer);

    /// <summary>The audit actor: <c>network:NetID[/NSID]</c>, <c>as:AS-ID</c>, or <c>unauthenticated:SenderID</c>.</summary>
    public string Actor(string senderId) =>
        Network is { } network ? NetworkActor(network)
        : ApplicationServer is { } server ? "as:" + server.AsId
        : "unauthenticated:" + senderId;

    public static string NetworkActor(Network network) =>
        network.NsId is null ? "network:" + network.NetId : $"network:{network.NetId}/{network.NsId}";
}
