using System.Net.Http.Headers;
using System.Text.Json;

namespace Custodian.LoadGenerator;

/// <summary>What a JoinAns said: the ResultCode, and for a Success the JoinNonce read from the decrypted JoinAccept.</summary>
internal readonly record struct JoinAnswer(string ResultCode, JoinNonce? JoinNonce)
{
    public bool Succeeded => ResultCode == "Success";
}

/// <summary>Posts JoinReqs to <c>/backend-interfaces</c> as a network server and reads the answers as the device would.</summary>
internal sealed class JoinClient(HttpClient http, string token)
{
    public async Task<JoinAnswer> JoinAsync(BenchDevice device, byte[] body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/backend-interfaces") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancel);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancel);
        if (!response.IsSuccessStatusCode)
        {
            return new JoinAnswer($"HTTP {(int)response.StatusCode}", null);
        }
        return Read(device, bytes);
    }

    /// <summary>A Success must carry a JoinAccept that the device's AppKey decrypts and whose MIC it verifies.</summary>
    private static JoinAnswer Read(BenchDevice device, byte[] bytes)
    {
        using var json = JsonDocument.Parse(bytes);
        var code = json.RootElement.GetProperty("Result").GetProperty("ResultCode").GetString() ?? "";
        if (code != "Success")
        {
            return new JoinAnswer(code, null);
        }
        var phyPayload = Convert.FromHexString(json.RootElement.GetProperty("PHYPayload").GetString()!);
        var key = new AesCipher(device.AppKey);
        if (!JoinAccept.Decrypt(in key, phyPayload).TryGetValue(out var accept, out var error))
        {
            throw new InvalidDataException($"DevEUI {device.DevEui}: the JoinAccept does not decode: {error.Message}");
        }
        if (!accept.VerifyLegacyMic(in key))
        {
            throw new InvalidDataException($"DevEUI {device.DevEui}: the JoinAccept MIC does not verify under the device's AppKey.");
        }
        return new JoinAnswer(code, accept.JoinNonce);
    }
}
