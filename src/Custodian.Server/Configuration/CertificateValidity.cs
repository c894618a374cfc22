using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Custodian.Server.Configuration;

/// <summary>
/// Client certificates are pinned (their SHA-256 is registered), not chained to an authority, so the one check
/// left to make is their validity window: a certificate outside it is refused at registration and in the handshake.
/// </summary>
internal static class CertificateValidity
{
    /// <summary>Why <paramref name="certificate"/> is not valid at <paramref name="now"/>, or null when it is.</summary>
    public static string? Refusal(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now < notBefore)
        {
            return $"the certificate is not valid before {Text(notBefore)}.";
        }
        return now > notAfter ? $"the certificate expired on {Text(notAfter)}." : null;
    }

    private static string Text(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
