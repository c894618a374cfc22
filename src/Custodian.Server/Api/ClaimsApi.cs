using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Custodian.Core.Claims;
using Custodian.Core.Errors;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Claims;
using Custodian.Server.DeviceRepository;
using Custodian.Server.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Custodian.Server.Api;

/// <summary>
/// <c>/api/v1/claims</c>: an owner claims devices (one, or a batch with per-item results), reads its claims and
/// unclaims, optionally with a fresh claim code. Decisions are the <see cref="IClaimService"/>'s (local or routed);
/// this layer reads the input precisely, throttles (<see cref="ClaimRateLimiting"/>, the wrong-code budget) and
/// records (<see cref="ClaimObservations"/>).
/// </summary>
internal static class ClaimsApi
{
    public const int MaxBatchSize = 10_000;

    public static void MapClaimsApi(this IEndpointRouteBuilder api)
    {
        var claims = api.MapGroup("/claims").RequireRateLimiting(ClaimRateLimiting.PolicyName);
        claims.MapPost("/", ClaimAsync).RequireRight(ApiRights.DevicesClaim);
        claims.MapPost("/batch", ClaimBatchAsync).RequireRight(ApiRights.DevicesClaim);
        claims.MapPost("/import", ClaimImportApi.ImportAsync).RequireRight(ApiRights.DevicesClaim); // a claim file: see ClaimImportApi.cs
        claims.MapGet("/", ListAsync).RequireRight(ApiRights.DevicesRead);
        claims.MapGet("/{devEui}", GetAsync).RequireRight(ApiRights.DevicesRead);
        claims.MapDelete("/{devEui}", UnclaimAsync).RequireRight(ApiRights.DevicesUnclaim);
    }

    /// <summary>
    /// A device's claim: where it is homed, since when, which Join Server holds it, and its last join under this claim
    /// (absent when it has not joined since, or when another Join Server holds it).
    /// </summary>
    public sealed record ClaimStatusResponse(
        string DevEui, string JoinEui, string HomeNetId, string? HomeNsId, string? AsId, bool Locked, DateTimeOffset ClaimedAt, string JoinServer,
        DateTimeOffset? LastJoinAt, DeviceRepositoryApi.DeviceModelResponse? Device = null)
    {
        public static ClaimStatusResponse From(ClaimStatus status) => new(
            status.DevEui.ToString(), status.JoinEui.ToString(), status.HomeNetId.ToString(), status.HomeNsId, status.AsId,
            status.Locked, status.ClaimedAt, status.JoinServer, status.LastJoinAt);
    }

    public sealed record ClaimBatchItemResponse(int Index, string? DevEui, string Status, ProblemDetails? Error);

    public sealed record ClaimBatchResponse(IReadOnlyList<ClaimBatchItemResponse> Results);

    /// <summary><see cref="Next"/> is null on the last page; otherwise pass it as <c>after</c>.</summary>
    public sealed record ClaimListResponse(
        IReadOnlyList<ClaimStatusResponse> Claims,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

    /// <summary>The fresh claim code of an unclaim with <c>newClaimCode=true</c>: shown this once.</summary>
    public sealed record RotatedClaimCodeResponse(string DevEui, string ClaimCode)
    {
        public override string ToString() => $"RotatedClaimCodeResponse {{ DevEui = {DevEui} }}";
    }

    public static class Statuses
    {
        public const string Claimed = "claimed";
        public const string AlreadyClaimed = "already-claimed";
        public const string Failed = "failed";
    }

    private static async Task<IResult> ClaimAsync(
        HttpRequest request, CallerContext caller, JsonBody json, IClaimService claims, ClaimObservations observations, DeviceCatalog catalog)
    {
        var (body, failure) = await json.ReadObjectAsync(request);
        if (body is not { } element)
        {
            return Refuse(observations, failure!);
        }
        if (!ClaimJson.TryRead(element, out var claim, out failure) || !ClaimReading.TryRead(claim, out var target, out failure))
        {
            return Refuse(observations, failure);
        }
        var outcome = (await claims.ClaimAsync(caller.Claimant, [target], request.HttpContext.RequestAborted))[0];
        observations.Claimed(caller, [outcome]);
        return outcome switch
        {
            { Result: ClaimResult.Claimed, Status: { } status } => TypedResults.Created(Location(status), Named(status, element, catalog)),
            { Result: ClaimResult.AlreadyClaimed, Status: { } status } => TypedResults.Ok(Named(status, element, catalog)),
            _ => CustodianProblems.Result(outcome.Failure ?? CustodianErrors.Internal.With("The claim had no outcome.")),
        };
    }

    // A claim by QR text names the device as the QR parse does (the Device Repository, by VendorID and profile).
    private static ClaimStatusResponse Named(ClaimStatus status, System.Text.Json.JsonElement body, DeviceCatalog catalog) =>
        body.TryGetProperty("qr", out var qr) && qr.ValueKind == System.Text.Json.JsonValueKind.String
            && Custodian.Lorawan.Qr.QrCode.TryParse(qr.GetString()!, out var code, out _)
            ? ClaimStatusResponse.From(status) with { Device = DeviceRepositoryApi.Describe(catalog.Find(code), code.VendorId, code.VendorProfileId) }
            : ClaimStatusResponse.From(status);

    private static async Task<IResult> ClaimBatchAsync(
        HttpRequest request, CallerContext caller, JsonBody json, IClaimService claims, ClaimObservations observations)
    {
        var (body, failure) = await json.ReadObjectAsync(request);
        if (body is not { } element)
        {
            return Refuse(observations, failure!);
        }
        if (!ClaimJson.TryGetProperty(element, "claims", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            return Refuse(observations, CustodianErrors.InvalidField.With($"claims: required, an array of 1 to {MaxBatchSize} claims."));
        }
        var count = items.GetArrayLength();
        if (count > MaxBatchSize)
        {
            return Refuse(observations, CustodianErrors.InvalidField.With($"claims: at most {MaxBatchSize} claims per call, got {count}."));
        }

        // Items that cannot be read fail here, alone; the rest go to the claim service together.
        var results = new ClaimBatchItemResponse?[count];
        var targets = new List<ClaimTarget>(count);
        var indexes = new List<int>(count);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (ClaimJson.TryRead(item, out var claim, out var itemFailure, $"claims[{index}]") && ClaimReading.TryRead(claim, out var target, out itemFailure))
            {
                targets.Add(target);
                indexes.Add(index);
            }
            else
            {
                observations.Unreadable(itemFailure);
                results[index] = Failed(index, null, itemFailure);
            }
            index++;
        }
        if (targets.Count > 0)
        {
            var outcomes = await claims.ClaimAsync(caller.Claimant, targets, request.HttpContext.RequestAborted);
            observations.Claimed(caller, outcomes, batch: true);
            if (outcomes.All(o => o.Failure?.Error == CustodianErrors.RateLimited))
            {
                // Nothing was decided, the budget is spent: the call is refused as a whole, with when to retry.
                return CustodianProblems.Result(outcomes[0].Failure!);
            }
            for (var i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i];
                var at = indexes[i];
                results[at] = outcome.Result switch
                {
                    ClaimResult.Claimed => new ClaimBatchItemResponse(at, outcome.DevEui.ToString(), Statuses.Claimed, null),
                    ClaimResult.AlreadyClaimed => new ClaimBatchItemResponse(at, outcome.DevEui.ToString(), Statuses.AlreadyClaimed, null),
                    _ => Failed(at, outcome.DevEui.ToString(), outcome.Failure ?? CustodianErrors.Internal.With("The claim had no outcome.")),
                };
            }
        }
        return TypedResults.Ok(new ClaimBatchResponse(results!));
    }

    private static async Task<IResult> GetAsync(string devEui, CallerContext caller, IClaimService claims, CancellationToken cancellationToken)
    {
        if (!DevEui.TryParse(devEui, out var eui, out var error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "devEui: " + error);
        }
        var outcome = await claims.GetStatusAsync(Claimant(caller), eui, cancellationToken);
        return outcome.Status is { } status
            ? TypedResults.Ok(ClaimStatusResponse.From(status))
            : CustodianProblems.Result(outcome.Failure ?? CustodianErrors.DeviceNotFound.With($"Tenant '{caller.TenantId}' has not claimed a device {eui}."));
    }

    private static async Task<IResult> ListAsync(string? after, string? limit, CallerContext caller, IClaimService claims, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadAfter(after, out var from, out var failure) || !Paging.TryReadLimit(limit, out var pageSize, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var page = await claims.ListAsync(Claimant(caller), from, pageSize, cancellationToken);
        return TypedResults.Ok(new ClaimListResponse([.. page.Claims.Select(ClaimStatusResponse.From)], page.Next?.ToString()));
    }

    private static async Task<IResult> UnclaimAsync(
        string devEui, string? newClaimCode, CallerContext caller, IClaimService claims, ClaimObservations observations, CancellationToken cancellationToken)
    {
        if (!DevEui.TryParse(devEui, out var eui, out var error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "devEui: " + error);
        }
        bool rotate;
        if (newClaimCode is null)
        {
            rotate = false;
        }
        else if (!bool.TryParse(newClaimCode, out rotate))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "newClaimCode: true or false.");
        }
        var outcome = (await claims.UnclaimAsync(Claimant(caller), [eui], rotate, cancellationToken))[0];
        observations.Unclaimed(caller, [outcome]);
        if (!outcome.Succeeded)
        {
            return CustodianProblems.Result(outcome.Failure!);
        }
        return outcome.NewClaimCode is { } code
            ? TypedResults.Ok(new RotatedClaimCodeResponse(eui.ToString(), code.ExportSecret()))
            : TypedResults.NoContent();
    }

    private static Claimant Claimant(CallerContext caller) => caller.Claimant;

    private static string Location(ClaimStatus status) => $"/api/v1/claims/{status.DevEui}";

    private static IResult Refuse(ClaimObservations observations, CustodianFailure failure)
    {
        observations.Unreadable(failure);
        return CustodianProblems.Result(failure);
    }

    private static ClaimBatchItemResponse Failed(int index, string? devEui, CustodianFailure failure) =>
        new(index, devEui, Statuses.Failed, CustodianProblems.Details(failure));
}

/// <summary>
/// Reads a claim object field by field, so that a value of the wrong type is a 400 naming the field (the
/// serializer would only say "at $.claimCode"). Unknown fields are ignored, as everywhere in the API.
/// </summary>
internal static class ClaimJson
{
    private static readonly string[] Fields = ["qr", "joinEui", "devEui", "claimCode", "homeNetId", "homeNsId", "asId"];

    public static bool TryRead(JsonElement element, [NotNullWhen(true)] out ClaimRequest? request, [NotNullWhen(false)] out CustodianFailure? failure, string? what = null)
    {
        request = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            failure = CustodianErrors.InvalidRequest.With($"{what ?? "The body"} is {Kind(element)}; expected a JSON object.");
            return false;
        }
        var values = new string?[Fields.Length];
        foreach (var property in element.EnumerateObject())
        {
            var field = Array.FindIndex(Fields, f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase));
            if (field < 0)
            {
                continue;
            }
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    values[field] = property.Value.GetString();
                    break;
                case JsonValueKind.Null:
                    values[field] = null;
                    break;
                default:
                    var where = what is null ? Fields[field] : $"{what}.{Fields[field]}";
                    failure = CustodianErrors.InvalidField.With($"{where}: expected a string, got {Kind(property.Value)}.");
                    return false;
            }
        }
        request = new ClaimRequest
        {
            Qr = values[0],
            JoinEui = values[1],
            DevEui = values[2],
            ClaimCode = values[3],
            HomeNetId = values[4],
            HomeNsId = values[5],
            AsId = values[6],
        };
        failure = null;
        return true;
    }

    /// <summary>A property by name, ignoring case as the API's deserialization does.</summary>
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string Kind(JsonElement element) => JsonBody.Describe(element.ValueKind);
}
