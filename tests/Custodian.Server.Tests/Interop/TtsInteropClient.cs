using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Custodian.Server.Tests.Interop;

/// <summary>
/// The Things Stack's interop client (Network Server JoinReq, Application Server AppSKeyReq), rebuilt from
/// lorawan-stack v3.32 <c>pkg/interop/client.go</c>, <c>messages.go</c>, <c>types.go</c> and <c>errors.go</c>:
/// <c>TransactionID</c> always 0, uppercase hex (its <c>MarshalText</c>), <c>SenderNSID</c> only for BI 1.1, the URL
/// <c>https://fqdn:port</c> plus <c>"/" + paths.join</c> (nothing at all when <c>paths</c> is unset), the per-JS file's
/// <c>headers</c> set as they are. Answers are read as <c>httpExchange</c> and <c>parseResult</c> read them.
/// </summary>
internal static class TtsInteropClient
{
    /// <summary>pkg/interop/errors.go <c>resultErrors</c>: the TTS error each ResultCode becomes (Other is not there).</summary>
    private static readonly Dictionary<string, string> ResultErrors = new(StringComparer.Ordinal)
    {
        ["NoAction"] = "no_action",
        ["MICFailed"] = "mic",
        ["FrameReplayed"] = "frame_replayed",
        ["JoinReqFailed"] = "join_req",
        ["NoRoamingAgreement"] = "no_roaming_agreement",
        ["DevRoamingDisallowed"] = "device_roaming",
        ["RoamingActDisallowed"] = "roaming_activation",
        ["ActivationDisallowed"] = "activation",
        ["UnknownDevEUI"] = "unknown_dev_eui",
        ["UnknownDevAddr"] = "unknown_dev_addr",
        ["UnknownSender"] = "unknown_sender",
        ["UnkownReceiver"] = "unknown_receiver",
        ["UnknownReceiver"] = "unknown_receiver",
        ["Deferred"] = "deferred",
        ["XmitFailed"] = "transmit_failed",
        ["InvalidFPort"] = "f_port",
        ["InvalidProtocolVersion"] = "protocol_version",
        ["StaleDeviceProfile"] = "stale_device_profile",
        ["MalformedMessage"] = "malformed_message",
        ["MalformedRequest"] = "malformed_message",
        ["FrameSizeError"] = "frame_size",
    };

    /// <summary><c>serverURL</c>: the path TTS posts to for a configured <c>paths.join</c> (null: not set).</summary>
    public static string PathFor(string? configuredPath) => configuredPath is null or "" ? "/" : "/" + configuredPath;

    /// <summary>A JoinReq as <c>HandleJoinRequest</c> builds it (struct field order; CFList omitted when empty).</summary>
    public static JsonObject JoinReq(string protocol, string netId, string? senderNsId, JoinEui joinEui, DevEui devEui, string macVersion, string phyPayload, string dlSettings, string? cfList)
    {
        var request = new JsonObject
        {
            ["ProtocolVersion"] = protocol,
            ["TransactionID"] = 0,
            ["MessageType"] = "JoinReq",
            ["SenderID"] = netId.ToUpperInvariant(),
            ["ReceiverID"] = joinEui.ToString(),
        };
        if (protocol == "1.1")
        {
            request["SenderNSID"] = senderNsId ?? throw new ArgumentException("BI 1.1 needs sender-ns-id (missing_ns_id).", nameof(senderNsId));
        }
        request["MACVersion"] = macVersion;
        request["PHYPayload"] = phyPayload.ToUpperInvariant();
        request["DevEUI"] = devEui.ToString();
        request["DevAddr"] = "26011F22";
        request["DLSettings"] = dlSettings;
        request["RxDelay"] = 5;
        if (cfList is not null)
        {
            request["CFList"] = cfList.ToUpperInvariant();
        }
        return request;
    }

    /// <summary>An AppSKeyReq as <c>GetAppSKey</c> builds it: SenderID is <c>as.interop.id</c>, free text.</summary>
    public static JsonObject AppSKeyReq(string protocol, string asId, JoinEui joinEui, DevEui devEui, string sessionKeyId) => new()
    {
        ["ProtocolVersion"] = protocol,
        ["TransactionID"] = 0,
        ["MessageType"] = "AppSKeyReq",
        ["SenderID"] = asId,
        ["ReceiverID"] = joinEui.ToString(),
        ["DevEUI"] = devEui.ToString(),
        ["SessionKeyID"] = sessionKeyId.ToUpperInvariant(),
    };

    /// <summary>POSTs with Content-Type and each <c>headers</c> entry, as <c>newHTTPRequest</c> does.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string path, IReadOnlyDictionary<string, string> headers, JsonObject request)
    {
        // json.Encoder.Encode ends the body with a newline.
        // An absolute URI keeps "//backend-interfaces" a path (a relative "//x" would name a host).
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(http.BaseAddress!.GetLeftPart(UriPartial.Authority) + path))
        {
            Content = new StringContent(request.ToJsonString() + "\n", Encoding.UTF8, "application/json"),
        };
        message.RequestUri!.AbsolutePath.Should().Be(path, "the path goes out exactly as TTS builds it");
        foreach (var (name, value) in headers)
        {
            message.Headers.TryAddWithoutValidation(name, value).Should().BeTrue();
        }
        using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// <c>httpExchange</c> then <c>parseResult</c>: "ok", or the TTS error name. A body that does not decode into the
    /// answer type (Go's encoding/json: keys matched case-insensitively; <c>EUI64</c> 8 bytes and <c>NetID</c> 3 bytes of
    /// hex) becomes <c>FromHTTPStatusCode</c> ("http_405"), as does any answer whose JSON does not decode.
    /// </summary>
    public static string Outcome(HttpStatusCode status, string body, string answerType)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return $"http_{(int)status}";
        }
        if (root.ValueKind != JsonValueKind.Object || !Decodes(root, answerType))
        {
            return $"http_{(int)status}";
        }
        var code = Field(root, "Result") is { ValueKind: JsonValueKind.Object } result && Field(result, "ResultCode") is { ValueKind: JsonValueKind.String } c
            ? c.GetString()!
            : "";
        return code == "Success" ? "ok" : ResultErrors.GetValueOrDefault(code, "unexpected_result");
    }

    /// <summary>A field as Go's decoder finds it: an exact match first, else one that differs only in case.</summary>
    public static JsonElement? Field(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }
        return null;
    }

    // JsNsMessageHeader (JoinAns): SenderID EUI64, ReceiverID NetID; AsJsMessageHeader (AppSKeyAns): SenderID EUI64.
    private static bool Decodes(JsonElement root, string answerType) =>
        Hex(Field(root, "SenderID"), 8)
        && (answerType != "JoinAns" || Hex(Field(root, "ReceiverID"), 3))
        && (Field(root, "Lifetime") is not { } lifetime || lifetime.ValueKind == JsonValueKind.Null || lifetime.TryGetUInt32(out _))
        && (Field(root, "SessionKeyID") is not { ValueKind: JsonValueKind.String } id || Hex(id, -1));

    private static bool Hex(JsonElement? value, int bytes)
    {
        if (value is not { ValueKind: JsonValueKind.String } text)
        {
            return value is null || value.Value.ValueKind == JsonValueKind.Null;
        }
        var hex = text.GetString()!;
        return hex.Length % 2 == 0 && hex.All(Uri.IsHexDigit) && (bytes < 0 || hex.Length == bytes * 2);
    }
}
