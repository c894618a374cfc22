using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Custodian.Server.Tests.Credentials;

/// <summary>
/// Asks the Join Server whether a peer credential is accepted, without any device: a JoinReq (or AppSKeyReq) for a
/// DevEUI nobody provisioned is answered <c>UnknownDevEUI</c> past the credential check, <c>UnknownSender</c> before it.
/// </summary>
internal static class PeerProbe
{
    public const string Accepted = "UnknownDevEUI";
    public const string Refused = "UnknownSender";
    private const string JoinEui = "70B3D57ED0000000";
    private const string DevEui = "00FF00FF00FF0001";
    private static int _transactionId;

    public static Task<string> NetworkAsync(HttpClient client, string? token, string netId, string? nsId = null)
    {
        var payload = "00" + LittleEndian(JoinEui) + LittleEndian(DevEui) + "0100" + "00000000";
        var request = Header("JoinReq", netId);
        if (nsId is not null)
        {
            request["SenderNSID"] = nsId;
        }
        request["MACVersion"] = "1.0.3";
        request["PHYPayload"] = payload;
        request["DevEUI"] = DevEui;
        request["DevAddr"] = "26011234";
        request["DLSettings"] = "00";
        request["RxDelay"] = 1;
        return ResultCodeAsync(client, token, request);
    }

    public static Task<string> ApplicationServerAsync(HttpClient client, string? token, string asId)
    {
        var request = Header("AppSKeyReq", asId);
        request["DevEUI"] = DevEui;
        request["SessionKeyID"] = "0102030405060708";
        return ResultCodeAsync(client, token, request);
    }

    public static X509Certificate2 Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter, string subject = "CN=peer.example")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    private static JsonObject Header(string messageType, string senderId) => new()
    {
        ["ProtocolVersion"] = "1.1",
        ["SenderID"] = senderId,
        ["ReceiverID"] = JoinEui,
        ["TransactionID"] = Interlocked.Increment(ref _transactionId),
        ["MessageType"] = messageType,
    };

    private static async Task<string> ResultCodeAsync(HttpClient client, string? token, JsonObject request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/backend-interfaces")
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.GetProperty("Result").GetProperty("ResultCode").GetString()!;
    }

    private static string LittleEndian(string hex) => Convert.ToHexString([.. Convert.FromHexString(hex).Reverse()]);
}
