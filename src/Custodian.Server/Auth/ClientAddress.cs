using System.Net;
using System.Net.Sockets;

namespace Custodian.Server.Auth;

/// <summary>
/// The key a client is throttled by, for the claim rate limits and Backend Interfaces' failed authentications alike:
/// its IPv4 address, or its IPv6 /64 (one client usually holds a whole /64: limit the prefix, not each address in it).
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
