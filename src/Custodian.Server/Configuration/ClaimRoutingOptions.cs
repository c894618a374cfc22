namespace Custodian.Server.Configuration;

/// <summary>
/// A Join Server that serves The Things Join Server's v2 claim API (another Custodian, or a TTJS), and how we
/// authenticate to it: a bearer <see cref="Token"/> (an API key of a tenant there), a client certificate, or both.
/// </summary>
public sealed class RemoteJoinServerOptions
{
    /// <summary>Its base address, e.g. <c>https://js.example.com</c>; the API is under <c>/api/v2</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>. A secret: never logged or echoed.</summary>
    public string? Token { get; set; }

    /// <summary>Our client certificate: PEM (with <see cref="KeyFile"/>, or holding its key) or PKCS#12 without a password.</summary>
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>A PEM file of the CA certificates that may sign its server certificate (instead of the system's).</summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// Allows sending <see cref="Token"/> over plain <c>http://</c> to an address that is not loopback. Off by default:
    /// the token and the claim codes would cross the network in clear.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>How long one call may take before the Join Server counts as unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The wrong-code budget the remote gives our (shared) credential per hour; 1,000 is a Custodian's default.
    /// Each tenant may spend <see cref="TenantShare"/> of it, so that no single tenant can spend it all.
    /// </summary>
    public int WrongCodesPerHour { get; set; } = 1000;

    /// <summary>The share (above 0, at most 1) of <see cref="WrongCodesPerHour"/> one tenant may spend.</summary>
    public double TenantShare { get; set; } = 0.25;
}

/// <summary>One route: <c>{Prefix: "70B3D57ED0000000/40", JoinServer: "name" | "local"}</c>.</summary>
public sealed class ClaimRouteOptions
{
    public string? Prefix { get; set; }

    public string? JoinServer { get; set; }
}
