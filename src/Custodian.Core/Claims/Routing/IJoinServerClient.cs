using Custodian.Core.Devices;
using Custodian.Core.Errors;

namespace Custodian.Core.Claims.Routing;

/// <summary>
/// Another Join Server, reached through The Things Join Server's v2 claim API. Every answer is already mapped to
/// our error catalogue (<see cref="CustodianFailure"/>), so that a routed claim fails in the same words as a
/// local one; a server that does not answer is <see cref="CustodianErrors.JoinServerUnavailable"/>.
/// </summary>
public interface IJoinServerClient
{
    /// <summary>The name of the Join Server in the configuration (and in claim statuses).</summary>
    string Name { get; }

    /// <summary>
    /// <c>PUT /api/v2/devices/{DevEUI}/claim</c>. <see cref="RemoteClaim.Changed"/> is false when the Join Server
    /// said nothing changed (200 rather than 201).
    /// </summary>
    Task<RemoteClaim> ClaimAsync(ClaimTarget target, CancellationToken cancellationToken);

    /// <summary><c>GET /api/v2/devices/{DevEUI}/claim</c>.</summary>
    Task<RemoteClaimStatus> GetStatusAsync(DevEui devEui, CancellationToken cancellationToken);

    /// <summary><c>DELETE /api/v2/devices/{DevEUI}/claim</c>, with <c>?regenerateOwnerToken=true</c> when <paramref name="rotateCode"/>.</summary>
    Task<RemoteUnclaim> UnclaimAsync(DevEui devEui, bool rotateCode, CancellationToken cancellationToken);
}

/// <summary>The remote Join Servers by name.</summary>
public interface IJoinServerClients
{
    IJoinServerClient? Find(string name);
}

public sealed record RemoteClaim(bool Changed, CustodianFailure? Failure)
{
    public static RemoteClaim Failed(CustodianFailure failure) => new(false, failure);
}

/// <summary>A device's claim as the remote Join Server reports it (set unless <see cref="Failure"/> is).</summary>
public sealed record RemoteClaimStatus(NetId HomeNetId, string? HomeNsId, bool Locked, CustodianFailure? Failure)
{
    public static RemoteClaimStatus Failed(CustodianFailure failure) => new(default, null, false, failure);
}

/// <summary><see cref="NewClaimCode"/> is set when the remote rotated the code (a Custodian extension).</summary>
public sealed record RemoteUnclaim(ClaimCode? NewClaimCode, CustodianFailure? Failure)
{
    public override string ToString() => $"RemoteUnclaim {{ Failure = {Failure?.Error.Code} }}";
}
