using Custodian.Core.Devices;

namespace Custodian.Core.Claims;

/// <summary>
/// A claim ready to decide: which device (the JoinEUI is null only on The Things Join Server's v2 API, which
/// names devices by DevEUI alone), the code presented, where to home the device, and whether to lock the claim.
/// </summary>
public sealed record ClaimTarget(JoinEui? JoinEui, DevEui DevEui, ClaimCode Code, HomeNetwork Home, bool Lock = true)
{
    public override string ToString() => $"ClaimTarget {{ DevEui = {DevEui}, JoinEui = {JoinEui} }}";
}
