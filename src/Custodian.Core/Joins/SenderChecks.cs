using Custodian.Core.Devices;
using Custodian.Core.Peers;

namespace Custodian.Core.Joins;

/// <summary>
/// Whether a network may send a device's join: its credential names it (NetID, NSID), the header says
/// the same, and it is the device's home. Each check returns the cause and why not, or null.
/// </summary>
internal static class SenderChecks
{
    /// <summary>Before any device is looked up: the credential must be a network's, and SenderID (and SenderNSID) that network's own.</summary>
    public static SenderRefusal? Credential(BackendInterfacesMessage request, Network? network)
    {
        if (network is null)
        {
            return new(JoinErrors.NoCredential, "The request carries no credential (bearer token or client certificate) of a registered network.");
        }
        if (request.SenderNetId() != network.NetId)
        {
            return new(JoinErrors.SenderIdMismatch, $"SenderID '{request.SenderID}' is not NetID {network.NetId}, which this credential is registered for.");
        }
        if (network.NsId is not null && request.SenderNSID is { } sentNsId && !NsIds.Same(network.NsId, sentNsId))
        {
            return new(JoinErrors.SenderNsIdMismatch, $"SenderNSID {sentNsId} is not NSID {network.NsId}, which this credential is registered for.");
        }
        return null;
    }

    /// <summary>The authenticated network must be the owner's home network, and its home NS when the owner named one.</summary>
    public static SenderRefusal? HomeNetwork(BackendInterfacesMessage request, Network network, Device device)
    {
        var owner = device.Owner!;
        if (network.NetId != owner.HomeNetId)
        {
            return new(JoinErrors.NotHomeNetwork, $"NetID {network.NetId} is not the home network of DevEUI {device.DevEui}.");
        }
        if (owner.HomeNsId is not null
            && (!NsIds.Same(network.NsId, owner.HomeNsId) || (request.SenderNSID is { } sent && !NsIds.Same(owner.HomeNsId, sent))))
        {
            return new(JoinErrors.NotHomeNetworkServer, $"The sender is not the home network server (NSID) of DevEUI {device.DevEui}.");
        }
        return null;
    }

    public static string NotClaimed(Device device) =>
        $"DevEUI {device.DevEui} is not claimed: it may join only once an owner claims it.";
}

/// <summary>Why a sender may not send this request: the cause and the precise reason.</summary>
internal readonly record struct SenderRefusal(JoinError Cause, string Detail);
