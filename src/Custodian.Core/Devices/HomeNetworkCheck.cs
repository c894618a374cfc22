using Custodian.Core.Errors;
using Custodian.Core.Storage;

namespace Custodian.Core.Devices;

/// <summary>
/// Checks that a home network (and its application server, when named) is registered, looking each up once:
/// one instance serves one batch.
/// </summary>
public sealed class HomeNetworkCheck(ICustodianStore store)
{
    private readonly Dictionary<(NetId, string?), bool> _networks = [];
    private readonly Dictionary<string, bool> _applicationServers = new(StringComparer.Ordinal);

    public async Task<CustodianFailure?> FindMissingAsync(HomeNetwork home, CancellationToken cancellationToken)
    {
        if (!_networks.TryGetValue((home.NetId, home.NsId), out var networkExists))
        {
            networkExists = await store.GetNetworkAsync(home.NetId, home.NsId, cancellationToken) is not null;
            _networks[(home.NetId, home.NsId)] = networkExists;
        }
        if (!networkExists)
        {
            var nsId = home.NsId is null ? "" : $" with NSID {home.NsId}";
            return CustodianErrors.NetworkNotFound.With($"homeNetId: no network {home.NetId}{nsId} is registered; register it with POST /api/v1/networks first.");
        }
        if (home.AsId is not { } asId)
        {
            return null;
        }
        if (!_applicationServers.TryGetValue(asId, out var asExists))
        {
            asExists = await store.GetApplicationServerAsync(asId, cancellationToken) is not null;
            _applicationServers[asId] = asExists;
        }
        return asExists
            ? null
            : CustodianErrors.ApplicationServerNotFound.With($"asId: no application server '{asId}' is registered; register it with POST /api/v1/application-servers first.");
    }
}
