using System.Text.Json.Serialization;
using Custodian.Core.Claims;
using Custodian.Core.Errors;
using Custodian.Server.Claims;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary><c>GET /api/v1/join-euis/{joinEui}</c> (any valid API key): whether devices of a JoinEUI can be claimed, and where.</summary>
internal static class JoinEuisApi
{
    public static void MapJoinEuisApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/join-euis/{joinEui}", Describe).RequireRateLimiting(ClaimRateLimiting.PolicyName);

    /// <summary><see cref="JoinServer"/> is the route's name (<c>local</c> for this server); null when nobody claims this JoinEUI.</summary>
    public sealed record JoinEuiResponse(
        string JoinEui, bool Claimable, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? JoinServer);

    private static IResult Describe(string joinEui, IClaimService claims)
    {
        if (!JoinEui.TryParse(joinEui, out var eui, out var error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "joinEui: " + error);
        }
        var info = claims.Describe(eui);
        return TypedResults.Ok(new JoinEuiResponse(info.JoinEui.ToString(), info.Claimable, info.JoinServer));
    }
}
