using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Custodian.Server.Configuration;

/// <summary>
/// <c>Custodian:Tls</c>: an extra HTTPS address that asks peers for a client certificate. Certificates are pinned,
/// not chained: TLS accepts any certificate inside its validity dates (an expired or not-yet-valid one fails the
/// handshake); whether it belongs to a registered network, application server or API key is decided per request
/// from its SHA-256 (<c>HttpContext.Connection.ClientCertificate</c>).
/// </summary>
internal static class TlsEndpoint
{
    public static void Configure(WebApplicationBuilder builder)
    {
        var tls = builder.Configuration.GetSection($"{CustodianOptions.Section}:Tls").Get<TlsOptions>();
        if (string.IsNullOrWhiteSpace(tls?.Url))
        {
            return;
        }
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        builder.WebHost.UseUrls([.. (urls ?? CustodianApp.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries), tls.Url]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = Load(tls);
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            // Pinned certificates are often self-signed: chain errors are expected and ignored, the dates are not.
            var time = kestrel.ApplicationServices.GetRequiredService<TimeProvider>();
            https.ClientCertificateValidation = (certificate, _, _) => CertificateValidity.Refusal(certificate, time.GetUtcNow()) is null;
        }));
    }

    private static X509Certificate2 Load(TlsOptions tls)
    {
        var file = tls.CertificateFile ?? throw new InvalidOperationException("Custodian:Tls:CertificateFile is required.");
        return tls.KeyFile is { } keyFile
            ? X509Certificate2.CreateFromPemFile(file, keyFile)
            : X509CertificateLoader.LoadPkcs12FromFile(file, tls.CertificatePassword);
    }
}
