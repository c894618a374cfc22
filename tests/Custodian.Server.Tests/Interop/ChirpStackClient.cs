using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Custodian.Server.Tests.Interop;

/// <summary>
/// ChirpStack v4's Join Server client, rebuilt from chirpstack <c>backend/src/lib.rs</c> (<c>Client::_request</c>,
/// <c>BasePayload</c>, <c>JoinReqPayload</c>, <c>hex_encode</c>) and <c>chirpstack/src/uplink/join.rs</c>
/// (<c>get_join_accept_from_js</c>): ProtocolVersion "1.0", a random u32 TransactionID, lowercase hex, MACVersion as
/// its device profile prints it ("1.0.2", "1.1.0"), <c>authorization_header</c> sent verbatim, POSTed to the
/// configured <c>server</c> URL as is. Answers are read as its serde types read them (<see cref="Parse"/>).
/// </summary>
internal static class ChirpStackClient
{
    /// <summary>chirpstack backend/src/lib.rs <c>enum ResultCode</c>: serde matches these names exactly.</summary>
    public static readonly IReadOnlySet<string> ResultCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Success", "MICFailed", "JoinReqFailed", "NoRoamingAgreement", "DevRoamingDisallowed", "RoamingActDisallowed",
        "ActivationDisallowed", "UnknownDevEUI", "UnknownDevAddr", "UnknownSender", "UnknownReceiver", "UnkownReceiver",
        "Deferred", "XmitFailed", "InvalidFPort", "InvalidProtocolVersion", "StaleDeviceProfile", "MalformedRequest",
        "FrameSizeError", "Other",
    };

    /// <summary>chirpstack backend/src/lib.rs <c>enum MessageType</c>.</summary>
    private static readonly IReadOnlySet<string> MessageTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "JoinReq", "JoinAns", "RejoinReq", "RejoinAns", "AppSKeyReq", "AppSKeyAns", "PRStartReq", "PRStartAns",
        "PRStopReq", "PRStopAns", "HomeNSReq", "HomeNSAns", "XmitDataReq", "XmitDataAns",
    };

    private static readonly string[] HexFields = ["SenderID", "ReceiverID", "SenderToken", "ReceiverToken", "PHYPayload", "SessionKeyID", "HNetID", "DevEUI"];
    private static readonly string[] Envelopes = ["SNwkSIntKey", "FNwkSIntKey", "NwkSEncKey", "NwkSKey", "AppSKey"];

    /// <summary>A JoinReq as <c>JoinReqPayload</c> serializes (field order of the struct; CFList skipped when empty).</summary>
    public static JsonObject JoinReq(uint transactionId, string netId, JoinEui joinEui, DevEui devEui, string macVersion, string phyPayload, bool optNeg, string? cfList)
    {
        var request = new JsonObject
        {
            ["ProtocolVersion"] = "1.0",
            ["SenderID"] = netId.ToLowerInvariant(),
            ["ReceiverID"] = joinEui.ToString().ToLowerInvariant(),
            ["TransactionID"] = transactionId,
            ["MessageType"] = "JoinReq",
            ["MACVersion"] = macVersion,
            ["PHYPayload"] = phyPayload.ToLowerInvariant(),
            ["DevEUI"] = devEui.ToString().ToLowerInvariant(),
            ["DevAddr"] = "e0011f22",
            ["DLSettings"] = optNeg ? "83" : "03",
            ["RxDelay"] = 1,
        };
        if (cfList is not null)
        {
            request["CFList"] = cfList.ToLowerInvariant();
        }
        return request;
    }

    /// <summary>POSTs as <c>Client::_request</c> does: Content-Type and the configured Authorization header, verbatim.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string server, string? authorizationHeader, JsonObject request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(http.BaseAddress!.GetLeftPart(UriPartial.Authority) + server))
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorizationHeader is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorizationHeader).Should().BeTrue();
        }
        using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Reads an answer as ChirpStack does: <c>error_for_status</c>, then <c>BasePayloadResult</c>, then (on Success) the
    /// full payload. Returns the ResultCode, or throws <see cref="FormatException"/> where serde would fail: a
    /// ResultCode or MessageType outside its enums, keys it knows spelled another way, <c>null</c> where it expects a
    /// string (<c>Description</c>, <c>KEKLabel</c>, every hex field), hex it cannot decode, a TransactionID beyond u32.
    /// </summary>
    public static string Parse(HttpStatusCode status, string body)
    {
        if ((int)status is < 200 or >= 300)
        {
            throw new FormatException($"error_for_status: HTTP {(int)status}.");
        }
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Expect(root.ValueKind == JsonValueKind.Object, "the answer is not a JSON object");
        if (root.TryGetProperty("ProtocolVersion", out var protocol))
        {
            Expect(protocol.ValueKind == JsonValueKind.String, "ProtocolVersion: expected a string");
        }
        if (root.TryGetProperty("TransactionID", out var transaction))
        {
            Expect(transaction.ValueKind == JsonValueKind.Number && transaction.TryGetUInt32(out _), "TransactionID: expected a u32");
        }
        if (root.TryGetProperty("MessageType", out var type))
        {
            Expect(type.ValueKind == JsonValueKind.String && MessageTypes.Contains(type.GetString()!), $"MessageType: unknown variant {type}");
        }
        foreach (var field in HexFields)
        {
            if (root.TryGetProperty(field, out var hex))
            {
                Hex(field, hex);
            }
        }
        var code = "Success";
        if (root.TryGetProperty("Result", out var result))
        {
            Expect(result.TryGetProperty("ResultCode", out var resultCode), "Result: missing field ResultCode");
            Expect(resultCode.ValueKind == JsonValueKind.String && ResultCodes.Contains(resultCode.GetString()!), $"ResultCode: unknown variant {resultCode}");
            code = resultCode.GetString()!;
            if (result.TryGetProperty("Description", out var description))
            {
                Expect(description.ValueKind == JsonValueKind.String, "Description: invalid type, expected a string");
            }
        }
        if (root.TryGetProperty("Lifetime", out var lifetime) && lifetime.ValueKind != JsonValueKind.Null)
        {
            Expect(lifetime.TryGetUInt64(out _), "Lifetime: expected a usize");
        }
        foreach (var field in Envelopes)
        {
            if (root.TryGetProperty(field, out var envelope) && envelope.ValueKind != JsonValueKind.Null)
            {
                Expect(envelope.ValueKind == JsonValueKind.Object, $"{field}: expected a KeyEnvelope");
                if (envelope.TryGetProperty("KEKLabel", out var label))
                {
                    Expect(label.ValueKind == JsonValueKind.String, $"{field}.KEKLabel: invalid type, expected a string");
                }
                Expect(envelope.TryGetProperty("AESKey", out var aesKey), $"{field}: missing field AESKey");
                Hex($"{field}.AESKey", aesKey);
            }
        }
        return code;
    }

    /// <summary>
    /// What ChirpStack does with a JoinAns's AppSKey and SessionKeyID (chirpstack/src/uplink/data.rs
    /// <c>_is_end_to_end_encrypted</c>): a JS SessionKeyID, or an AppSKey with a KEK label, makes the session end-to-end
    /// encrypted (ChirpStack neither decrypts uplinks nor runs codecs); otherwise it uses the AppSKey's bytes as the key.
    /// </summary>
    public static bool EndToEndEncrypted(JsonElement answer) =>
        answer.TryGetProperty("SessionKeyID", out var id) && id.GetString()!.Length > 0
        || answer.TryGetProperty("AppSKey", out var appSKey) && appSKey.GetProperty("KEKLabel").GetString()!.Length > 0;

    private static void Hex(string field, JsonElement value)
    {
        Expect(value.ValueKind == JsonValueKind.String, $"{field}: invalid type, expected a string");
        var text = value.GetString()!;
        while (text.StartsWith("0x", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        Expect(text.Length % 2 == 0 && text.All(Uri.IsHexDigit), $"{field}: invalid hex '{text}'");
    }

    private static void Expect(bool condition, string error)
    {
        if (!condition)
        {
            throw new FormatException(error);
        }
    }
}
