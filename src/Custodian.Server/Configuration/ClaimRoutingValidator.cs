using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Custodian.Core.Claims.Routing;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Configuration;

/// <summary>
/// Checks claim routing when the server starts: each Join Server's URL and credentials (files exist and load),
/// each route's prefix and Join Server, and that no two routes have the same prefix. Never echoes a token.
/// </summary>
internal sealed partial class ClaimRoutingValidator : IValidateOptions<CustodianOptions>
{
    public ValidateOptionsResult Validate(string? name, CustodianOptions custodian)
    {
        var options = custodian.Claims;
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{ClaimsOptions.Section}:{key}: {message}.");

        foreach (var (serverName, server) in options.JoinServers)
        {
            ValidateJoinServer(serverName, server, Fail);
        }
        var seen = new Dictionary<JoinEuiPrefix, int>();
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var key = $"Routes:{i}";
            if (string.IsNullOrWhiteSpace(route.Prefix))
            {
                Fail($"{key}:Prefix", "is required: a JoinEUI prefix such as 70B3D57ED0000000/40");
            }
            else if (!JoinEuiPrefix.TryParse(route.Prefix, out var prefix, out var error))
            {
                Fail($"{key}:Prefix", $"'{route.Prefix}' is not a JoinEUI prefix (e.g. 70B3D57ED0000000/40): {error.TrimEnd('.')}");
            }
            else if (seen.TryGetValue(prefix, out var earlier))
            {
                Fail($"{key}:Prefix", $"{prefix} is also the prefix of Routes:{earlier}; each prefix may have one route (a longer prefix overrides a shorter one)");
            }
            else
            {
                seen[prefix] = i;
            }
            if (string.IsNullOrWhiteSpace(route.JoinServer))
            {
                Fail($"{key}:JoinServer", $"is required: '{ClaimRouteTable.Local}' or one of the names under JoinServers");
            }
            else if (!IsLocal(route.JoinServer) && !options.JoinServers.ContainsKey(route.JoinServer))
            {
                var known = options.JoinServers.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", options.JoinServers.Keys.Order(StringComparer.Ordinal));
                Fail($"{key}:JoinServer", $"'{route.JoinServer}' is neither '{ClaimRouteTable.Local}' nor a Join Server under JoinServers ({known})");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The route table of valid options (the Join Server names as spelled under JoinServers).</summary>
    public static ClaimRouteTable BuildTable(ClaimsOptions options) =>
        new(options.Routes.Select(route => new ClaimRoute(
            JoinEuiPrefix.Parse(route.Prefix!),
            IsLocal(route.JoinServer!) ? ClaimRouteTable.Local : options.JoinServers.Keys.First(k => string.Equals(k, route.JoinServer, StringComparison.OrdinalIgnoreCase)))));

    /// <summary>The client certificate of a Join Server's options: PEM with a key file, PEM holding its key, or PKCS#12.</summary>
    public static X509Certificate2 LoadCertificate(RemoteJoinServerOptions server)
    {
        var file = server.CertificateFile!;
        if (server.KeyFile is { } keyFile)
        {
            return X509Certificate2.CreateFromPemFile(file, keyFile);
        }
        return File.ReadAllText(file).Contains("-----BEGIN", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPemFile(file)
            : X509CertificateLoader.LoadPkcs12FromFile(file, null);
    }

    /// <summary>The CA certificates of <see cref="RemoteJoinServerOptions.CaFile"/>.</summary>
    public static X509Certificate2Collection LoadCa(string caFile)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(caFile);
        return certificates;
    }

    private static bool IsLocal(string joinServer) => string.Equals(joinServer, ClaimRouteTable.Local, StringComparison.OrdinalIgnoreCase);

    private static void ValidateJoinServer(string name, RemoteJoinServerOptions server, Action<string, string> fail)
    {
        var key = $"JoinServers:{name}";
        if (IsLocal(name))
        {
            fail(key, $"'{ClaimRouteTable.Local}' names this server in routes; give the Join Server another name");
        }
        else if (!JoinServerName().IsMatch(name))
        {
            fail(key, "a Join Server's name is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        Uri? url = null;
        if (string.IsNullOrWhiteSpace(server.Url))
        {
            fail($"{key}:Url", "is required: the Join Server's base address, e.g. https://js.example.com");
        }
        else if (!Uri.TryCreate(server.Url, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            fail($"{key}:Url", $"'{server.Url}' is not an http:// or https:// address");
            url = null;
        }
        else if (url.UserInfo.Length > 0)
        {
            fail($"{key}:Url", "holds credentials; give them as Token (or a client certificate), not in the address");
            url = null;
        }
        else if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            fail($"{key}:Url", $"'{server.Url}' has a query or fragment; give the base address only");
        }
        if (server.Token is { } token && (string.IsNullOrWhiteSpace(token) || token.Any(char.IsWhiteSpace)))
        {
            fail($"{key}:Token", "is blank or holds whitespace");
        }
        if (server.Token is not null && url is not null && url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !server.AllowInsecureHttp)
        {
            fail($"{key}:Url", "is http:// to a host that is not loopback: the Token and claim codes would travel in clear; use https://, or set AllowInsecureHttp");
        }
        if (server.Token is null && server.CertificateFile is null)
        {
            fail(key, "has no credentials: give Token (a bearer API key there) or CertificateFile (a client certificate), or both");
        }
        if (server.KeyFile is not null && server.CertificateFile is null)
        {
            fail($"{key}:KeyFile", "is set without CertificateFile");
        }
        if (server.CertificateFile is { } certificateFile)
        {
            if (url is not null && url.Scheme != Uri.UriSchemeHttps)
            {
                fail($"{key}:CertificateFile", "is set but Url is not https://; a client certificate needs TLS");
            }
            ValidateCertificate(key, server, certificateFile, fail);
        }
        if (server.CaFile is { } caFile)
        {
            if (url is not null && url.Scheme != Uri.UriSchemeHttps)
            {
                fail($"{key}:CaFile", "is set but Url is not https://");
            }
            if (!File.Exists(caFile))
            {
                fail($"{key}:CaFile", $"'{caFile}' does not exist");
            }
            else
            {
                try
                {
                    if (LoadCa(caFile).Count == 0)
                    {
                        fail($"{key}:CaFile", $"'{caFile}' holds no PEM certificate");
                    }
                }
                catch (CryptographicException)
                {
                    fail($"{key}:CaFile", $"'{caFile}' is not a file of PEM certificates");
                }
            }
        }
        if (server.Timeout <= TimeSpan.Zero)
        {
            fail($"{key}:Timeout", "must be positive (for example 00:00:10)");
        }
        if (server.WrongCodesPerHour < 1)
        {
            fail($"{key}:WrongCodesPerHour", "must be 1 or more");
        }
        if (!(server.TenantShare > 0 && server.TenantShare <= 1))
        {
            fail($"{key}:TenantShare", "must be above 0 and at most 1 (for example 0.25)");
        }
    }

    private static void ValidateCertificate(string key, RemoteJoinServerOptions server, string certificateFile, Action<string, string> fail)
    {
        if (!File.Exists(certificateFile))
        {
            fail($"{key}:CertificateFile", $"'{certificateFile}' does not exist");
            return;
        }
        if (server.KeyFile is { } keyFile && !File.Exists(keyFile))
        {
            fail($"{key}:KeyFile", $"'{keyFile}' does not exist");
            return;
        }
        try
        {
            using var certificate = LoadCertificate(server);
            if (!certificate.HasPrivateKey)
            {
                fail($"{key}:CertificateFile", $"'{certificateFile}' has no private key; give KeyFile");
            }
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            fail($"{key}:CertificateFile", $"'{certificateFile}' could not be loaded as a certificate with its private key (PEM with KeyFile, PEM holding the key, or PKCS#12 without a password)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex JoinServerName();
}
