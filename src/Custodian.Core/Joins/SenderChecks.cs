using Custodian.Core.Devices;
using Custodian.Core.Peers;

namespace Custodian.Core.Joins;

/// <summary>
/// Whether a network may send a device's join: its credential names it (NetID, NSID), the header says
/// the same, and it is the device's home. Each check returns why not (for UnknownSender), or null.
/// </summary>
internal static class SenderChecks
{
    /// <summary>Before any device is looked up: the credential must be a network's, and SenderID (and SenderNSID) that network's own.</summary>
    public static string? Credential(BackendInterfacesMessage request, Network? network)
    {
        if (network is null)
        {
            return "The request carries no credential (bearer token or client certificate) of a registered network.";
        }
        if (request.SenderNetId() != network.NetId)
        {
            return $"SenderID '{request.SenderID}' is not NetID {network.NetId}, which this credential is registered for.";
        }
        if (network.NsId is not null && request.SenderNSID is { } sentNsId && !NsIds.Same(network.NsId, sentNsId))
        {
            return $"SenderNSID {sentNsId} is not NSID {network.NsId}, which this credential is registered for.";
        }
        return null;
    }

    /// <summary>The authenticated network must be the owner's home network, and its home NS when the owner named one.</summary>
    public static string? HomeNetwork(BackendInterfacesMessage request, Network network, Device device)
    {
        var owner = device.Owner!;
        if (network.NetId != owner.HomeNetId)
        {
            return $"NetID {network.NetId} is not the home network of DevEUI {device.DevEui}.";
        }
        if (owner.HomeNsId is not null
            && (!NsIds.Same(network.NsId, owner.HomeNsId) || (request.SenderNSID is { } sent && !NsIds.Same(owner.HomeNsId, sent))))
        {
            return $"The sender is not the home network server (NSID) of DevEUI {device.DevEui}.";
        }
        return null;
    }

    public static string NotClaimed(Device device) =>
        $"DevEUI {device.DevEui} is not claimed: it may join only once an owner claims it.";
}
