namespace Custodian.Core.Tenancy;

/// <summary>An API key as stored: never the key, only its SHA-256 (<see cref="SecretToken.Hash"/>).</summary>
public sealed record ApiKeyRecord(string Id, string TenantId, string Name, ApiRights Rights, ReadOnlyMemory<byte> SecretHash, DateTimeOffset CreatedAt);
