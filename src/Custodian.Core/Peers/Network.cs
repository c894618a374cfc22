using Custodian.Core.Custody;

namespace Custodian.Core.Peers;

/// <summary>
/// A network server allowed to send Backend Interfaces requests as NetID (and NSID, when set).
/// It authenticates with a bearer token (stored hashed) or a client certificate (its SHA-256 thumbprint).
/// </summary>
public sealed record Network(
    NetId NetId,
    string? NsId,
    string? Name,
    PeerKek? Kek,
    ReadOnlyMemory<byte> TokenHash,
    ReadOnlyMemory<byte>? CertificateThumbprint,
    DateTimeOffset CreatedAt)
{
    /// <summary>Who receives the AppSKey of the sessions this network opens (see <see cref="Peers.AppSKeyMode"/>).</summary>
    public AppSKeyMode AppSKeyMode { get; init; }
}

/// <summary>An application server allowed to fetch AppSKeys as AS-ID; credentials as for <see cref="Network"/>.</summary>
public sealed record ApplicationServer(
    string AsId,
    PeerKek? Kek,
    ReadOnlyMemory<byte> TokenHash,
    ReadOnlyMemory<byte>? CertificateThumbprint,
    DateTimeOffset CreatedAt);

/// <summary>How a peer proved who it is on a request: the hash of its bearer token, or its certificate's thumbprint.</summary>
public readonly record struct PeerCredential(PeerCredentialKind Kind, ReadOnlyMemory<byte> Hash);

public enum PeerCredentialKind
{
    BearerToken,
    ClientCertificate,
}
