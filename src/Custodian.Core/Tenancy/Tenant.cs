namespace Custodian.Core.Tenancy;

/// <summary>An organisation: a maker, an owner, or both. The operator's own tenant is <see cref="OperatorId"/>.</summary>
public sealed record Tenant(string Id, string Name, DateTimeOffset CreatedAt)
{
    /// <summary>The tenant the bootstrap admin key belongs to.</summary>
    public const string OperatorId = "operator";
}
