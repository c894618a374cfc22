using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Custodian.Server.Tests.Joins;

/// <summary>
/// A network server's (or application server's) side of the tests: JSON built by hand with the
/// specification's field names (not with our serializer), posted to /backend-interfaces, and the
/// lora-packet device's JoinRequests and JoinAccept checks.
/// </summary>
internal static class BackendInterfacesClient
{
    public const string DevAddrHex = "26011234";
    private static int _transactionId;

    public static JsonObject JoinReq(DeviceUnderTest device, string phyPayload, string senderId, string protocolVersion = "1.1", string? macVersion = null, string? senderNsId = null)
    {
        var version = macVersion ?? device.MacVersion.ToString();
        var request = Header("JoinReq", senderId, device.JoinEui.ToString(), protocolVersion);
        if (senderNsId is not null)
        {
            request["SenderNSID"] = senderNsId;
        }
        request["MACVersion"] = version;
        request["PHYPayload"] = phyPayload;
        request["DevEUI"] = device.DevEui.ToString();
        request["DevAddr"] = DevAddrHex;
        // OptNeg for a 1.1 network, as ChirpStack sets it; RX1DROffset 1, RX2DR 5.
        request["DLSettings"] = version.StartsWith("1.1", StringComparison.Ordinal) ? "95" : "15";
        request["RxDelay"] = 1;
        request["CFList"] = "184F84E85684B85E84886684586E8400";
        return request;
    }

    public static JsonObject Header(string messageType, string senderId, string receiverId, string protocolVersion = "1.1") => new()
    {
        ["ProtocolVersion"] = protocolVersion,
        ["SenderID"] = senderId,
        ["ReceiverID"] = receiverId,
        ["TransactionID"] = Interlocked.Increment(ref _transactionId),
        ["MessageType"] = messageType,
    };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string? token, string body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/backend-interfaces")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json);
    }

    public static async Task<JsonElement> AnswerAsync(HttpClient client, string? token, JsonObject request)
    {
        var (status, body) = await PostAsync(client, token, request.ToJsonString());
        status.Should().Be(HttpStatusCode.OK);
        return body;
    }

    public static string ResultCode(this JsonElement answer) => answer.GetProperty("Result").GetProperty("ResultCode").GetString()!;

    public static string? Description(this JsonElement answer) =>
        answer.GetProperty("Result").TryGetProperty("Description", out var d) ? d.GetString() : null;

    /// <summary>The device (lora-packet) builds and signs a JoinRequest with its root key.</summary>
    public static async Task<string> JoinRequestAsync(this LoraPacketDevice device, DeviceUnderTest provisioned, ushort devNonce, string? signWith = null)
    {
        var request = DeviceRequest("joinRequest", provisioned, devNonce);
        if (signWith is not null)
        {
            request[provisioned.MacVersion.IsLorawan11 ? "nwkKey" : "appKey"] = signWith;
        }
        var answer = await device.SendAsync(request, TestContext.Current.CancellationToken);
        return answer["phyPayload"]!.GetValue<string>();
    }

    /// <summary>The device (lora-packet) decrypts the JoinAccept, checks its MIC and derives its session keys.</summary>
    public static async Task<JsonObject> JoinAcceptAsync(this LoraPacketDevice device, DeviceUnderTest provisioned, ushort devNonce, string phyPayload)
    {
        var request = DeviceRequest("joinAccept", provisioned, devNonce);
        request["phyPayload"] = phyPayload;
        return await device.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static JsonObject DeviceRequest(string op, DeviceUnderTest device, ushort devNonce)
    {
        var request = new JsonObject
        {
            ["op"] = op,
            ["macVersion"] = device.MacVersion.ToString(),
            ["joinEui"] = device.JoinEui.ToString(),
            ["devEui"] = device.DevEui.ToString(),
            ["devNonce"] = new DevNonce(devNonce).ToString(),
        };
        if (device.MacVersion.IsLorawan11)
        {
            request["nwkKey"] = device.NwkKeyHex;
            request["appKey"] = device.AppKeyHex;
        }
        else
        {
            // A 1.0.x device's one root key, which lora-packet calls the AppKey.
            request["appKey"] = device.NwkKeyHex;
        }
        return request;
    }
}
