using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.Server.Tests.Interop;

/// <summary>
/// The Things Stack's Device Claiming Server as a client of our v2 claim API, rebuilt from
/// lorawan-stack v3.32 <c>pkg/deviceclaimingserver/enddevices/ttjsv2/ttjs.go</c> and <c>messages.go</c>:
/// the body as Go's <c>json.Marshal</c> writes <c>ClaimRequest</c> (field order, <c>homeNSID</c> omitted when
/// unset, <c>asID</c> always present, <c>""</c> by default), the DevEUI uppercase in the path, only
/// <c>Content-Type</c> (no Authorization: the TLS client certificate is the only credential), and the answer read
/// with <c>Claim</c>'s status switch, giving the TTS error name an operator would see.
/// </summary>
internal sealed class TtsDeviceClaimingClient(HttpClient http, string netId, string? nsId = null, string asId = "")
{
    // ttjs.go's ClaimRequest, with its json tags and omitempty, in its field order.
    private sealed record ClaimRequest(
        [property: JsonPropertyName("ownerToken")] string OwnerToken,
        [property: JsonPropertyName("homeNetID")] string HomeNetId,
        [property: JsonPropertyName("homeNSID"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HomeNsId,
        [property: JsonPropertyName("asID")] string AsId,
        [property: JsonPropertyName("lock")] bool Lock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The HTTP version of the last answer (the DCS's Go transport negotiates HTTP/2 over TLS).</summary>
    public Version? LastVersion { get; private set; }

    /// <summary>The exact JSON <c>Claim</c> sends.</summary>
    public string ClaimBody(string ownerToken) => JsonSerializer.Serialize(new ClaimRequest(ownerToken, netId, nsId, asId, true));

    /// <summary>Claims as <c>(*TTJS).Claim</c> does; returns "ok" or the TTS error name, and the HTTP answer.</summary>
    public async Task<(string Outcome, HttpStatusCode Status, string? Message)> ClaimAsync(DevEui devEui, string ownerToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v2/devices/{devEui}/claim")
        {
            Content = new StringContent(ClaimBody(ownerToken), Encoding.UTF8, "application/json"),
            Version = http.DefaultRequestVersion,
            VersionPolicy = http.DefaultVersionPolicy,
        };
        using var response = await http.SendAsync(request, Ct);
        var message = ErrorMessage(await response.Content.ReadAsStringAsync(Ct));
        LastVersion = response.Version;
        return (ClaimOutcome(response.StatusCode, message), response.StatusCode, message);
    }

    /// <summary>The switch at the end of ttjs.go's <c>Claim</c>.</summary>
    public static string ClaimOutcome(HttpStatusCode status, string? message) => (int)status switch
    {
        >= 200 and < 300 => "ok",
        400 => "internal_error",
        404 => "device_not_provisioned",
        403 => message == "claim failed with given owner token" ? "device_access_denied" : "internal_error",
        401 => "credentials",
        _ => $"http_{(int)status}",
    };

    // ErrorResponse{Message string `json:"message"`}; Go's decoder matches keys case-insensitively.
    private static string? ErrorMessage(string body)
    {
        if (body.Length == 0)
        {
            return null;
        }
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }
        return null;
    }
}
