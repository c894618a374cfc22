using System.Text.Json.Serialization;

namespace Custodian.Server.Claims.Routing;

// The Things Join Server v2 claim API's bodies, with its field names (homeNetID, not homeNetId). Served by
// Api/V2ClaimApi.cs and sent by JoinServerV2Client.

/// <summary><c>PUT /api/v2/devices/{DevEUI}/claim</c>. <c>regenerateOwnerToken</c> and <c>kek</c> exist in TTJS but are not used here.</summary>
public sealed record V2ClaimRequest(
    [property: JsonPropertyName("ownerToken")] string? OwnerToken,
    [property: JsonPropertyName("homeNetID")] string? HomeNetId,
    [property: JsonPropertyName("homeNSID")] string? HomeNsId,
    [property: JsonPropertyName("asID")] string? AsId,
    [property: JsonPropertyName("lock")] bool? Lock)
{
    // Records print their members; this one holds the owner token.
    public override string ToString() => $"V2ClaimRequest {{ HomeNetId = {HomeNetId} }}";
}

/// <summary><c>GET /api/v2/devices/{DevEUI}/claim</c>.</summary>
public sealed record V2ClaimStatus(
    [property: JsonPropertyName("homeNetID")] string? HomeNetId,
    [property: JsonPropertyName("homeNSID")] string? HomeNsId,
    [property: JsonPropertyName("locked")] bool Locked);

/// <summary>
/// An error: <c>{"message": "…"}</c>. <see cref="Code"/> is a Custodian extension (the catalogue's code), ignored by
/// other clients and read by ours, so that a claim routed from one Custodian to another fails precisely.
/// </summary>
public sealed record V2Error(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("code")] string? Code = null);

/// <summary>The answer of <c>DELETE …/claim?regenerateOwnerToken=true</c> (a Custodian extension): the new code, shown once.</summary>
public sealed record V2OwnerToken([property: JsonPropertyName("ownerToken")] string? OwnerToken)
{
    public override string ToString() => "V2OwnerToken (redacted)";
}
