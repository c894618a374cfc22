using System.Text.Json;
using Custodian.Lorawan;

namespace Custodian.Cli.Commands.Claims;

/// <summary>Where claimed devices will live: the home network's NetID (and NSID), and the Application Server.</summary>
internal sealed record ClaimHome(NetId NetId, string? NsId, string? AsId)
{
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteString("homeNetId", NetId.ToString());
        if (NsId is not null)
        {
            json.WriteString("homeNsId", NsId);
        }
        if (AsId is not null)
        {
            json.WriteString("asId", AsId);
        }
    }
}
