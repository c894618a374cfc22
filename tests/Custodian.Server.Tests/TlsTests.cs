using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Custodian.Server.Tests;

public sealed class TlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_tls_endpoint_serves_https_and_takes_a_client_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-tls-").FullName;
        var pfx = Path.Combine(directory, "server.pfx");
        using (var serverCertificate = SelfSigned("CN=127.0.0.1"))
        {
            await File.WriteAllBytesAsync(pfx, serverCertificate.Export(X509ContentType.Pkcs12, "pw"), Ct);
        }
        using var clientCertificate = SelfSigned("CN=ns.example");

        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Tls:Url"] = "https://127.0.0.1:0",
            ["Custodian:Tls:CertificateFile"] = pfx,
            ["Custodian:Tls:CertificatePassword"] = "pw",
        });
        var https = server.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
        X509Certificate2? requested = null;
        using var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                requested = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        handler.ClientCertificates.Add(clientCertificate);
        using var client = new HttpClient(handler) { BaseAddress = https };

        using var response = await client.GetAsync("/healthz", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        requested!.Subject.Should().Be("CN=127.0.0.1");
        (await server.Client().GetAsync("/healthz", Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "plain HTTP still answers");
        Directory.Delete(directory, recursive: true);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
