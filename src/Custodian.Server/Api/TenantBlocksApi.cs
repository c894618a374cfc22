using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Logging;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// The DevEUI blocks of maker tenants (admin only): given when a tenant is created (<c>devEuiPrefixes</c>) and
/// replaced with <c>PATCH /api/v1/tenants/{id}</c>. Blocks of two tenants never overlap; the answer to an overlap
/// names the block held and its tenant, which only an admin asks.
/// </summary>
internal static class TenantBlocksApi
{
    /// <summary><see cref="DevEuiPrefixes"/>: the tenant's blocks from now on (an empty list takes them all away).</summary>
    public sealed record PatchTenantRequest(IReadOnlyList<string>? DevEuiPrefixes);

    public static async Task<IResult> PatchTenantAsync(
        string id, HttpRequest request, JsonBody json, ICustodianStore store, CallerContext caller, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<PatchTenantRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (body.DevEuiPrefixes is null)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "devEuiPrefixes: required, the tenant's DevEUI blocks (EUI/length), [] for none.");
        }
        if (!TryRead(body.DevEuiPrefixes, out var blocks, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        var assignment = await store.SetDevEuiBlocksAsync(id, blocks, cancellationToken);
        if (Refusal(assignment, id) is { } refused)
        {
            return CustodianProblems.Result(refused);
        }
        var tenant = (await store.GetTenantAsync(id, cancellationToken))!;
        MakerLog.DevEuiBlocksAssigned(logger, id, string.Join(' ', Texts(blocks)), caller.KeyId);
        return TypedResults.Ok(new TenantsApi.TenantResponse(tenant.Id, tenant.Name, tenant.CreatedAt, Texts(blocks)));
    }

    /// <summary>Reads <c>devEuiPrefixes</c> (absent: none), each <c>EUI/length</c>, none overlapping another.</summary>
    public static bool TryRead(IReadOnlyList<string>? texts, out DevEuiBlocks blocks, out CustodianFailure failure)
    {
        blocks = DevEuiBlocks.None;
        failure = null!;
        var parsed = new List<DevEuiBlock>(texts?.Count ?? 0);
        for (var i = 0; i < (texts?.Count ?? 0); i++)
        {
            if (!DevEuiBlock.TryParse(texts![i], out var block, out var error))
            {
                failure = CustodianErrors.InvalidField.With($"devEuiPrefixes[{i}]: {error}.");
                return false;
            }
            parsed.Add(block);
        }
        if (!DevEuiBlocks.TryCreate(parsed, out blocks, out var overlap))
        {
            failure = CustodianErrors.InvalidField.With($"devEuiPrefixes: {overlap}.");
            return false;
        }
        return true;
    }

    /// <summary>The refusal when another tenant holds a block overlapping one of <paramref name="blocks"/>.</summary>
    public static async Task<CustodianFailure?> FindConflictAsync(string tenantId, DevEuiBlocks blocks, ICustodianStore store, CancellationToken cancellationToken) =>
        blocks.Blocks.Count == 0
            ? null
            : Refusal(DevEuiBlockAssignment.Decide(tenantId, blocks.Blocks, await store.ListDevEuiBlocksAsync(cancellationToken)));

    public static CustodianFailure? Refusal(DevEuiBlockAssignment assignment, string? tenantId = null) => assignment switch
    {
        { TenantFound: false } => CustodianErrors.TenantNotFound.With($"No tenant '{tenantId}'."),
        { Conflict: { } taken } => CustodianErrors.DevEuiBlockTaken.With(
            $"devEuiPrefixes: the block {taken} of tenant '{assignment.ConflictTenantId}' overlaps: blocks of two tenants never overlap."),
        _ => null,
    };

    public static IReadOnlyList<string> Texts(DevEuiBlocks blocks) => [.. blocks.Blocks.Select(b => b.ToString())];
}
