namespace Custodian.Server.Configuration;

/// <summary>
/// <c>Custodian:BackendInterfaces</c>: how failed authentications on <c>/backend-interfaces</c> are throttled.
/// A registered network or application server never fails authentication, so it is never throttled; an address
/// that keeps sending requests without a valid credential is answered HTTP 429 without its requests being read.
/// </summary>
public sealed class BackendInterfacesOptions
{
    /// <summary>Failed authentications one client address (an IPv6 address by its /64) may make per <see cref="AuthFailureWindow"/>; 0 turns the limit off.</summary>
    public int AuthFailuresPerAddress { get; set; } = 20;

    /// <summary>The fixed window <see cref="AuthFailuresPerAddress"/> counts over; a blocked address is told to retry after it.</summary>
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);
}
