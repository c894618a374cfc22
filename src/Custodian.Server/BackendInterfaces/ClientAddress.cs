using System.Net;
using System.Net.Sockets;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// The key a client is throttled by: its IPv4 address, or its IPv6 /64 (one client usually holds a whole /64).
/// The same rule as the claim rate limits' (<c>ClaimCaller</c>).
/// </summary>
internal static class ClientAddress
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
