namespace Custodian.Core.Tenancy;

/// <summary>
/// An API key as stored: never the key, only its SHA-256 (<see cref="SecretToken.Hash"/>). A key may also be
/// presented as a TLS client certificate (the v2 claim API's callers use mTLS): then its SHA-256
/// <see cref="CertificateThumbprint"/> is kept too.
/// </summary>
public sealed record ApiKeyRecord(
    string Id,
    string TenantId,
    string Name,
    ApiRights Rights,
    ReadOnlyMemory<byte> SecretHash,
    DateTimeOffset CreatedAt,
    ReadOnlyMemory<byte>? CertificateThumbprint = null);
