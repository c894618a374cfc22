using System.Text.Json;
using System.Text.Json.Serialization;
using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// <c>PATCH /api/v1/tenants/{id}/api-keys/{keyId}</c> <c>{"limits": {"requestsPerMinute": N, "wrongCodesPerHour": N}}</c>:
/// an admin gives one key its own claim limits (e.g. the one key a whole The Things Stack deployment claims with). A
/// member left out stays as it is, a null one goes back to the server's default, and <c>"limits": null</c> resets both.
/// </summary>
internal static partial class TenantsApi
{
    private const string RequestsPerMinute = "requestsPerMinute";
    private const string WrongCodesPerHour = "wrongCodesPerHour";

    /// <summary>The body of <c>PATCH …/api-keys/{keyId}</c>, as the API contract describes it (read field by field).</summary>
    public sealed record ApiKeyPatchRequest(ApiKeyLimitsBody? Limits);

    /// <summary>A key's own limits as the API shows them; a null member is the server's default.</summary>
    public sealed record ApiKeyLimitsBody(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? RequestsPerMinute,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? WrongCodesPerHour)
    {
        public static ApiKeyLimitsBody Of(ApiKeyLimits limits) => new(limits.RequestsPerMinute, limits.WrongCodesPerHour);
    }

    private static async Task<IResult> PatchApiKeyAsync(
        string id, string keyId, HttpRequest request, JsonBody json, CallerContext caller, ICustodianStore store, ILogger<RestApi> logger)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (body, failure) = await json.ReadObjectAsync(request);
        if (body is not { } element)
        {
            return CustodianProblems.Result(failure!);
        }
        var keys = await store.ListApiKeysAsync(id, cancellationToken);
        if (keys.FirstOrDefault(k => k.Id == keyId) is not { } key)
        {
            return CustodianProblems.Result(CustodianErrors.ApiKeyNotFound, $"Tenant '{id}' has no API key '{keyId}'.");
        }
        var current = await store.GetApiKeyLimitsAsync(keyId, cancellationToken);
        if (!TryReadLimits(element, current, out var limits, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        if (!await store.SetApiKeyLimitsAsync(keyId, limits, cancellationToken))
        {
            return CustodianProblems.Result(CustodianErrors.ApiKeyNotFound, $"Tenant '{id}' has no API key '{keyId}'.");
        }
        LimitsChanged(logger, keyId, id, limits.RequestsPerMinute?.ToString() ?? "default", limits.WrongCodesPerHour?.ToString() ?? "default", caller.KeyId);
        return TypedResults.Ok(ApiKeyItem.Of(key, limits));
    }

    private static bool TryReadLimits(JsonElement body, ApiKeyLimits current, out ApiKeyLimits limits, out CustodianFailure failure)
    {
        limits = current;
        failure = null!;
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name != "limits")
            {
                failure = CustodianErrors.InvalidField.With($"{property.Name}: not a field of this call; only 'limits' can be changed.");
                return false;
            }
        }
        if (!body.TryGetProperty("limits", out var given))
        {
            failure = CustodianErrors.InvalidField.With("limits: required, {\"requestsPerMinute\": N, \"wrongCodesPerHour\": N} (null for the default).");
            return false;
        }
        if (given.ValueKind == JsonValueKind.Null)
        {
            limits = ApiKeyLimits.Default;
            return true;
        }
        if (given.ValueKind != JsonValueKind.Object)
        {
            failure = CustodianErrors.InvalidField.With($"limits: expected an object or null, got {JsonBody.Describe(given.ValueKind)}.");
            return false;
        }
        foreach (var member in given.EnumerateObject())
        {
            if (!TryReadLimit(member, out var value, out failure))
            {
                return false;
            }
            limits = member.Name == RequestsPerMinute ? limits with { RequestsPerMinute = value } : limits with { WrongCodesPerHour = value };
        }
        return true;
    }

    private static bool TryReadLimit(JsonProperty member, out int? value, out CustodianFailure failure)
    {
        value = null;
        failure = null!;
        if (member.Name is not (RequestsPerMinute or WrongCodesPerHour))
        {
            failure = CustodianErrors.InvalidField.With($"limits.{member.Name}: not a limit; the limits are {RequestsPerMinute} and {WrongCodesPerHour}.");
            return false;
        }
        if (member.Value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetInt32(out var number) || number is < 1 or > ApiKeyLimits.Max)
        {
            failure = CustodianErrors.InvalidField.With($"limits.{member.Name}: expected a whole number from 1 to {ApiKeyLimits.Max}, or null for the default.");
            return false;
        }
        value = number;
        return true;
    }

    [LoggerMessage(1035, LogLevel.Information, "API key {KeyId} of tenant {TenantId} now has requestsPerMinute {RequestsPerMinute}, wrongCodesPerHour {WrongCodesPerHour} (by key {ByKeyId})")]
    private static partial void LimitsChanged(ILogger logger, string keyId, string tenantId, string requestsPerMinute, string wrongCodesPerHour, string byKeyId);
}
