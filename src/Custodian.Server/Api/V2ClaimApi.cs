using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Custodian.Core.Claims;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Claims;
using Custodian.Server.Claims.Routing;
using Microsoft.Net.Http.Headers;

namespace Custodian.Server.Api;

/// <summary>
/// The Things Join Server's v2 claim API (<c>/api/v2</c>), so that The Things Stack's Device Claiming Server (or
/// another Custodian routing claims here) can claim our devices: <c>PUT/GET/DELETE /api/v2/devices/{DevEUI}/claim</c>
/// and <c>DELETE /api/v2/devices/{EUI,EUI,…}/claims</c>. Callers authenticate with an API key, as a bearer key or
/// as the client certificate registered on it (mTLS). Devices are named by DevEUI alone. Errors are
/// <c>{"message": "…"}</c> with TTJS's status codes and messages, plus our <c>code</c>.
/// </summary>
internal static class V2ClaimApi
{
    public const string Prefix = "/api/v2";
    public const string NotAllowedMessage = "Client not allowed to claim";
    public const int MaxBatch = 1000;

    /// <summary>The code an unusable owner token claims with: the empty code, which matches no device's code.</summary>
    private static readonly ClaimCode UnusableToken = default;

    public static bool Serves(PathString path) => path.StartsWithSegments(Prefix);

    public static void MapV2ClaimApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup(Prefix + "/devices").RequireRateLimiting(ClaimRateLimiting.PolicyName);
        devices.MapPut("/{devEui}/claim", ClaimAsync).RequireV2Right(ApiRights.DevicesClaim);
        devices.MapGet("/{devEui}/claim", GetStatusAsync).RequireV2Right(ApiRights.DevicesRead);
        devices.MapDelete("/{devEui}/claim", UnclaimAsync).RequireV2Right(ApiRights.DevicesUnclaim);
        devices.MapDelete("/{devEuis}/claims", UnclaimManyAsync).RequireV2Right(ApiRights.DevicesUnclaim);
    }

    /// <summary>A v2 error: <c>{"message", "code"}</c>, with <c>Retry-After</c> (whole seconds, rounded up) when given.</summary>
    public static IResult Error(int status, string message, string? code = null, TimeSpan? retryAfter = null) =>
        new ErrorResult(status, new V2Error(message, code), retryAfter);

    /// <summary>
    /// Our failure in v2's words: a wrong code (or unknown device) is 403 "claim failed with given owner token",
    /// a device claimed (locked) by another owner is 403 "Client not allowed to claim", lock-outs and rate limits
    /// are 429 with Retry-After, "not yours" is 404.
    /// </summary>
    public static IResult Error(CustodianFailure failure)
    {
        var error = failure.Error;
        var code = error.Code;
        if (error == CustodianErrors.ClaimRefused)
        {
            return Error(StatusCodes.Status403Forbidden, JoinServerV2Client.WrongTokenMessage, code);
        }
        if (error == CustodianErrors.DeviceClaimed)
        {
            return Error(StatusCodes.Status403Forbidden, NotAllowedMessage, code);
        }
        if (error == CustodianErrors.NetworkNotFound || error == CustodianErrors.ApplicationServerNotFound)
        {
            // Not "device not provisioned" (what a 404 on claim means in v2): the home network is the caller's mistake.
            return Error(StatusCodes.Status400BadRequest, HomeFieldNames.V2.Rename(failure.Detail), code);
        }
        return Error(Problems.CustodianProblems.StatusOf(error.Category), failure.Detail, code, failure.RetryAfter);
    }

    private static TBuilder RequireV2Right<TBuilder>(this TBuilder builder, ApiRights right)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRight(right)).AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Features.Get<CallerContext>();
            if (caller is null)
            {
                return Error(StatusCodes.Status401Unauthorized, "No API key was presented.", CustodianErrors.Unauthenticated.Code);
            }
            return caller.Has(right)
                ? await next(context)
                : Error(StatusCodes.Status403Forbidden, $"This call needs the right '{string.Join("', '", right.ToNames())}'.", CustodianErrors.MissingRight.Code);
        });

    private static async Task<IResult> ClaimAsync(
        string devEui, HttpRequest request, JsonBody json, CallerContext caller, IClaimService claims, ClaimObservations observations)
    {
        if (!TryReadClaim(devEui, await json.ReadAsync<V2ClaimRequest>(request), out var target, out var failure))
        {
            observations.Unreadable(failure);
            return failure.Error == CustodianErrors.InvalidRequest || failure.Error == CustodianErrors.InvalidField
                ? Error(StatusCodes.Status400BadRequest, failure.Detail, failure.Error.Code)
                : Error(failure);
        }
        var outcome = (await claims.ClaimAsync(caller.Claimant, [target], request.HttpContext.RequestAborted))[0];
        observations.Claimed(caller, [outcome]);
        return outcome switch
        {
            { Failure: { } refused } => Error(refused),
            { Result: ClaimResult.AlreadyClaimed, Status: { } status } => TypedResults.Ok(StatusOf(status)),
            { Status: { } status } => TypedResults.Created((string?)null, StatusOf(status)),
            _ => throw new InvalidOperationException("A claim outcome without status or failure."),
        };
    }

    private static async Task<IResult> GetStatusAsync(string devEui, HttpContext context, CallerContext caller, IClaimService claims)
    {
        if (!TryReadDevEui(devEui, out var eui, out var invalid))
        {
            return invalid;
        }
        var outcome = await claims.GetStatusAsync(Claimant(caller), eui, context.RequestAborted);
        return outcome.Status is { } status ? TypedResults.Ok(StatusOf(status)) : Error(outcome.Failure!);
    }

    private static async Task<IResult> UnclaimAsync(
        string devEui, string? regenerateOwnerToken, HttpContext context, CallerContext caller, IClaimService claims, ClaimObservations observations)
    {
        if (!TryReadDevEui(devEui, out var eui, out var invalid))
        {
            return invalid;
        }
        if (!TryReadFlag(regenerateOwnerToken, out var rotate))
        {
            return Error(StatusCodes.Status400BadRequest, $"regenerateOwnerToken: expected true or false, got '{Shorten(regenerateOwnerToken!)}'.", CustodianErrors.InvalidField.Code);
        }
        var outcome = (await claims.UnclaimAsync(Claimant(caller), [eui], rotate, context.RequestAborted))[0];
        observations.Unclaimed(caller, [outcome]);
        if (outcome.Failure is { } failure)
        {
            return Error(failure);
        }
        return outcome.NewClaimCode is { } newCode ? TypedResults.Ok(new V2OwnerToken(newCode.ExportSecret())) : TypedResults.NoContent();
    }

    private static async Task<IResult> UnclaimManyAsync(string devEuis, HttpContext context, CallerContext caller, IClaimService claims, ClaimObservations observations)
    {
        var texts = devEuis.Split(',', StringSplitOptions.TrimEntries);
        if (texts.Length > MaxBatch)
        {
            return Error(StatusCodes.Status400BadRequest, $"At most {MaxBatch} DevEUIs per call, got {texts.Length}.", CustodianErrors.InvalidRequest.Code);
        }
        var euis = new List<DevEui>(texts.Length);
        foreach (var text in texts)
        {
            if (!DevEui.TryParse(text, out var eui, out var error))
            {
                return Error(StatusCodes.Status400BadRequest, $"'{Shorten(text)}' in the list is not a DevEUI: {error}", CustodianErrors.InvalidField.Code);
            }
            if (euis.Contains(eui))
            {
                return Error(StatusCodes.Status400BadRequest, $"DevEUI {eui} is listed twice.", CustodianErrors.InvalidRequest.Code);
            }
            euis.Add(eui);
        }
        var outcomes = await claims.UnclaimAsync(Claimant(caller), euis, rotateCode: false, context.RequestAborted);
        var failed = outcomes.Where(o => o.Failure is not null).ToDictionary(o => o.DevEui.ToString(), o => new V2Error(o.Failure!.Detail, o.Failure.Error.Code));
        observations.Unclaimed(caller, outcomes);
        // TTJS: 400 with {"<DevEUI>": {"message": …}} for the devices that failed; the others are unclaimed.
        return failed.Count == 0 ? TypedResults.NoContent() : TypedResults.BadRequest(failed);
    }

    /// <summary>The path's DevEUI and the PUT body as a claim target (no JoinEUI: v2 names devices by DevEUI alone).</summary>
    private static bool TryReadClaim(
        string devEui, (V2ClaimRequest? Body, CustodianFailure? Failure) read,
        [NotNullWhen(true)] out ClaimTarget? target, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        target = null;
        if (!DevEui.TryParse(devEui, out var eui, out var error))
        {
            failure = CustodianErrors.InvalidField.With($"'{Shorten(devEui)}' is not a DevEUI: {error}");
            return false;
        }
        if (read.Body is not { } body)
        {
            failure = read.Failure!;
            return false;
        }
        if (!ClaimReading.TryReadHome(body.HomeNetId, body.HomeNsId, body.AsId, out var home, out failure, HomeFieldNames.V2))
        {
            return false;
        }
        // TTJS answers any unusable owner token (empty, too short or long, other characters) as a wrong one: 403
        // "claim failed with given owner token", which TTS shows as "owner token is invalid". So it goes through
        // the claim as a code that matches no device, and counts as a wrong code for the lock-out and the budget.
        var code = ClaimCode.TryParse(body.OwnerToken, out var parsed, out _) ? parsed : UnusableToken;
        target = new ClaimTarget(null, eui, code, home, body.Lock ?? true);
        return true;
    }

    private static Claimant Claimant(CallerContext caller) => caller.Claimant;

    private static V2ClaimStatus StatusOf(ClaimStatus status) => new(status.HomeNetId.ToString(), status.HomeNsId, status.Locked);

    private static bool TryReadDevEui(string text, out DevEui devEui, out IResult invalid)
    {
        if (DevEui.TryParse(text, out devEui, out var error))
        {
            invalid = null!;
            return true;
        }
        invalid = Error(StatusCodes.Status400BadRequest, $"'{Shorten(text)}' is not a DevEUI: {error}", CustodianErrors.InvalidField.Code);
        return false;
    }

    private static bool TryReadFlag(string? text, out bool value)
    {
        value = false;
        return text is null || bool.TryParse(text, out value);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed class ErrorResult(int status, V2Error error, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfter is { } wait)
            {
                httpContext.Response.Headers[HeaderNames.RetryAfter] = Problems.CustodianProblems.RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture);
            }
            return TypedResults.Json(error, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}
