using System.Diagnostics.CodeAnalysis;

namespace Custodian.BackendInterfaces;

/// <summary>The outcome carried by every answer.</summary>
public sealed record Result
{
    public Result()
    {
    }

    [SetsRequiredMembers]
    public Result(ResultCode resultCode, string? description = null)
    {
        ResultCode = resultCode;
        Description = description;
    }

    public required ResultCode ResultCode { get; init; }

    public string? Description { get; init; }
}
