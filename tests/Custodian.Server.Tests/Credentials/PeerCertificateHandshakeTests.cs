using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;

namespace Custodian.Server.Tests.Credentials;

/// <summary>The Tls:Url address checks a client certificate's dates in the handshake; pinning does the rest.</summary>
public sealed class PeerCertificateHandshakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_expired_client_certificate_fails_the_handshake_and_a_valid_registered_one_authenticates()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-handshake-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow;
            var pfx = Path.Combine(directory, "server.pfx");
            using (var serverCertificate = PeerProbe.Certificate(now.AddDays(-1), now.AddDays(1), "CN=127.0.0.1"))
            {
                await File.WriteAllBytesAsync(pfx, serverCertificate.Export(X509ContentType.Pkcs12, "pw"), Ct);
            }
            await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
            {
                ["Custodian:Tls:Url"] = "https://127.0.0.1:0",
                ["Custodian:Tls:CertificateFile"] = pfx,
                ["Custodian:Tls:CertificatePassword"] = "pw",
            });
            var https = server.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
            using var valid = PeerProbe.Certificate(now.AddDays(-1), now.AddDays(30), "CN=ns-valid.example");
            using var expired = PeerProbe.Certificate(now.AddDays(-60), now.AddDays(-30), "CN=ns-expired.example");
            using (var registered = await server.Admin.PostAsJsonAsync("/api/v1/networks", new { netId = "0000B1", clientCertificate = PeerProbe.Pem(valid) }, Ct))
            {
                registered.EnsureSuccessStatusCode();
            }

            using var validClient = Client(https, valid);
            using var expiredClient = Client(https, expired);

            (await PeerProbe.NetworkAsync(validClient, null, "0000B1")).Should().Be(PeerProbe.Accepted);
            await ((Func<Task>)(() => PeerProbe.NetworkAsync(expiredClient, null, "0000B1"))).Should().ThrowAsync<HttpRequestException>(
                "Kestrel refuses a certificate outside its dates in the handshake");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static HttpClient Client(Uri address, X509Certificate2 certificate)
    {
        var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
        };
        handler.ClientCertificates.Add(certificate);
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = address };
    }
}
