using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// The optional HTTPS endpoint for peers that authenticate with a client certificate (mTLS), from
/// <c>Custodian:Tls</c>: <c>Url</c> (default https://127.0.0.1:8443), <c>CertificateFile</c> (PKCS#12, or PEM
/// with <c>KeyFile</c>) and <c>CertificatePassword</c> (the keys the REST work's options use too). TLS accepts any client certificate: peers use
/// self-signed ones, and what authorises a certificate is its SHA-256 thumbprint being registered for a
/// network or application server, which the endpoint checks per request.
/// </summary>
public static class BackendInterfacesTls
{
    public const string Section = "Custodian:Tls";
    public const string DefaultUrl = "https://127.0.0.1:8443";

    public static WebApplicationBuilder AddBackendInterfacesTls(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var path = section["CertificateFile"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return builder;
        }
        var certificate = Load(path, section["KeyFile"], section["CertificatePassword"]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
        // Added beside the plain HTTP address(es), which keep serving the REST API and bearer-token peers.
        var tlsUrl = string.IsNullOrWhiteSpace(section["Url"]) ? DefaultUrl : section["Url"]!;
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? [tlsUrl] : [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), tlsUrl]);
        return builder;
    }

    private static X509Certificate2 Load(string path, string? keyPath, string? password)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{Section}:CertificateFile '{path}' does not exist.");
        }
        return string.IsNullOrWhiteSpace(keyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
            : string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
    }
}
