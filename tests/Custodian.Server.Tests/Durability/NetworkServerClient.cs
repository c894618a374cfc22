using System.Net.Http.Headers;
using System.Text.Json;
using Custodian.BackendInterfaces;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;

namespace Custodian.Server.Tests.Durability;

/// <summary>A device the test provisioned: its EUI and the root key (AppKey) the server generated and returned once.</summary>
internal sealed record ProvisionedDevice(DevEui DevEui, Key128 AppKey);

/// <summary>What the Join Server answered: the ResultCode and, on Success, the JoinNonce of the JoinAccept as the device decrypts it.</summary>
internal readonly record struct JoinAnswer(string ResultCode, uint? JoinNonce)
{
    public bool Succeeded => ResultCode == "Success";
}

/// <summary>
/// Plays the network server on Backend Interfaces: sends JoinReqs for LoRaWAN 1.0.4 devices, signed with the
/// device's AppKey, and reads each JoinAns as the device would (decrypt, check the MIC, read the JoinNonce).
/// </summary>
internal sealed class NetworkServerClient(HttpClient http, NetId netId, JoinEui joinEui, string token)
{
    public async Task<JoinAnswer> JoinAsync(ProvisionedDevice device, ushort devNonce, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/backend-interfaces") { Content = new ByteArrayContent(Body(device, devNonce)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancel);
        var body = await response.Content.ReadAsByteArrayAsync(cancel);
        return response.IsSuccessStatusCode ? Read(device, body) : new JoinAnswer($"HTTP {(int)response.StatusCode}", null);
    }

    private byte[] Body(ProvisionedDevice device, ushort devNonce)
    {
        var frame = new JoinRequest(joinEui, device.DevEui, new DevNonce(devNonce), default).Sign(new AesCipher(device.AppKey));
        return new JoinReq
        {
            ProtocolVersion = "1.1",
            SenderID = netId.ToString(),
            ReceiverID = joinEui.ToString(),
            TransactionID = devNonce,
            MACVersion = MacVersion.V1_0_4,
            PHYPayload = frame.ToArray(),
            DevEUI = device.DevEui,
            DevAddr = new DevAddr(0x2600_0000u | (uint)(device.DevEui.Value & 0xFFFF)),
            DLSettings = new DLSettings(0),
            RxDelay = 1,
        }.ToUtf8Json();
    }

    private static JoinAnswer Read(ProvisionedDevice device, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var code = json.RootElement.GetProperty("Result").GetProperty("ResultCode").GetString() ?? "";
        if (code != "Success")
        {
            return new JoinAnswer(code, null);
        }
        var key = new AesCipher(device.AppKey);
        var phyPayload = Convert.FromHexString(json.RootElement.GetProperty("PHYPayload").GetString()!);
        if (!JoinAccept.Decrypt(in key, phyPayload).TryGetValue(out var accept, out var error))
        {
            throw new InvalidDataException($"DevEUI {device.DevEui}: the JoinAccept does not decode: {error.Message}");
        }
        if (!accept.VerifyLegacyMic(in key))
        {
            throw new InvalidDataException($"DevEUI {device.DevEui}: the JoinAccept MIC does not verify under the AppKey.");
        }
        return new JoinAnswer(code, accept.JoinNonce.Value);
    }
}
