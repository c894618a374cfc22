using System.Globalization;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary><c>GET /api/v1/events</c>: the caller's tenant's audit events, newest first, paged by id.</summary>
internal static class EventsApi
{
    public static void MapEventsApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/events", ListAsync).RequireRight(ApiRights.EventsRead);

    public sealed record EventResponse(long Id, DateTimeOffset Time, string Type, string? DevEui, string? Code, string? Detail, string? Actor);

    /// <summary><see cref="NextBefore"/> is set when there may be older events: pass it as <c>before</c>.</summary>
    public sealed record EventsResponse(IReadOnlyList<EventResponse> Events, long? NextBefore);

    private static async Task<IResult> ListAsync(
        string? devEui, string? before, string? limit, CallerContext caller, ICustodianStore store, CancellationToken cancellationToken)
    {
        DevEui? device = null;
        if (devEui is not null)
        {
            if (!DevEui.TryParse(devEui, out var parsed, out var error))
            {
                return CustodianProblems.Result(CustodianErrors.InvalidField, "devEui: " + error);
            }
            device = parsed;
        }
        long? beforeId = null;
        if (before is not null)
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return CustodianProblems.Result(CustodianErrors.InvalidField, "before: an event id (a positive integer) from a previous page's nextBefore.");
            }
            beforeId = id;
        }
        if (!Paging.TryReadLimit(limit, out var pageSize, out var failure))
        {
            return CustodianProblems.Result(failure);
        }
        var events = await store.ListEventsAsync(new EventQuery(caller.TenantId, device, beforeId, pageSize), cancellationToken);
        var page = events.Select(e => new EventResponse(e.Id, e.Time, e.Type, e.DevEui?.ToString(), e.Code, e.Detail, e.Actor)).ToList();
        return TypedResults.Ok(new EventsResponse(page, page.Count == pageSize ? page[^1].Id : null));
    }
}
