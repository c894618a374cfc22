using Custodian.Core.Claims.Policy;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Claims.Routing;

/// <summary>
/// Claim routing (the "device claiming repository"): claims whose JoinEUI a route sends to another Join Server
/// are forwarded there through its v2 claim API, and recorded here (<see cref="IRoutedClaimRegistry"/>) so that
/// the owner's list, status and unclaim find them; everything else is decided by the local service. A routed
/// claim skips the local home-network check: the remote Join Server checks its own networks.
/// </summary>
/// <remarks>
/// Every tenant of this server reaches a remote Join Server with the same credential, so the remote cannot tell
/// our tenants apart: this service keeps them apart. A device another tenant holds (locked) through us is
/// refused with <see cref="CustodianErrors.DeviceClaimed"/>, but only after the remote accepted the code (presented
/// with the holder's home network, so that nothing changes there): code first, then ownership, as locally.
/// The remote's wrong-code budget is shared too: each tenant spends only its own share of it
/// (<paramref name="tenantBudgets"/>, by Join Server), and a remote <c>rate_limited</c> alerts the operator.
/// </remarks>
public sealed class RoutedClaimService(
    IClaimService local,
    ClaimRouteTable routes,
    IJoinServerClients joinServers,
    ICustodianStore store,
    TimeProvider time,
    IReadOnlyDictionary<string, WrongCodeAllowance>? tenantBudgets = null,
    IClaimPolicyObserver? observer = null) : IClaimService
{
    /// <summary>The operator is alerted at most this often per remote Join Server that rate-limits us.</summary>
    public static readonly TimeSpan UpstreamAlertInterval = TimeSpan.FromMinutes(1);

    /// <summary>How many devices of one batch are forwarded at once.</summary>
    public const int MaxConcurrentForwards = 8;

    public async Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(Claimant claimant, IReadOnlyList<ClaimTarget> targets, CancellationToken cancellationToken)
    {
        var localIndexes = new List<int>(targets.Count);
        var forwarded = new List<(int Index, ClaimRoute Route)>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].JoinEui is { } joinEui && routes.Match(joinEui) is { IsLocal: false } route)
            {
                forwarded.Add((i, route));
            }
            else
            {
                localIndexes.Add(i);
            }
        }
        if (forwarded.Count == 0)
        {
            return await local.ClaimAsync(claimant, targets, cancellationToken);
        }
        var outcomes = new ClaimOutcome[targets.Count];
        if (localIndexes.Count > 0)
        {
            var localOutcomes = await local.ClaimAsync(claimant, [.. localIndexes.Select(i => targets[i])], cancellationToken);
            for (var k = 0; k < localIndexes.Count; k++)
            {
                outcomes[localIndexes[k]] = localOutcomes[k];
            }
        }
        // One device's items in order (a batch may name a device twice); different devices at once.
        var byDevice = forwarded.GroupBy(item => targets[item.Index].DevEui).ToList();
        await Parallel.ForEachAsync(
            byDevice,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentForwards, CancellationToken = cancellationToken },
            async (items, token) =>
            {
                foreach (var (index, route) in items)
                {
                    outcomes[index] = await ForwardClaimAsync(claimant, targets[index], route, token);
                }
            });
        return outcomes;
    }

    public async Task<ClaimStatusOutcome> GetStatusAsync(Claimant claimant, DevEui devEui, CancellationToken cancellationToken)
    {
        if (await store.GetRoutedClaimAsync(devEui, cancellationToken) is not { } record || record.TenantId != claimant.TenantId)
        {
            return await local.GetStatusAsync(claimant, devEui, cancellationToken);
        }
        if (joinServers.Find(record.JoinServer) is not { } client)
        {
            return new ClaimStatusOutcome(null, NotConfigured(record.JoinServer));
        }
        var remote = await client.GetStatusAsync(devEui, cancellationToken);
        if (remote.Failure is { } failure)
        {
            return new ClaimStatusOutcome(null, failure.Error == CustodianErrors.DeviceNotFound ? NotYours(devEui, claimant) : failure);
        }
        var status = StatusOf(record) with { HomeNetId = remote.HomeNetId, HomeNsId = remote.HomeNsId, Locked = remote.Locked };
        return new ClaimStatusOutcome(status, null);
    }

    public async Task<ClaimPage> ListAsync(Claimant claimant, DevEui? after, int limit, CancellationToken cancellationToken)
    {
        var localPage = await local.ListAsync(claimant, after, limit, cancellationToken);
        var routed = await store.ListRoutedClaimsAsync(claimant.TenantId, after, limit + 1, cancellationToken);
        if (routed.Count == 0)
        {
            return localPage;
        }
        var merged = localPage.Claims
            .Concat(routed.Where(r => !localPage.Claims.Any(c => c.DevEui == r.DevEui)).Select(StatusOf))
            .OrderBy(c => c.DevEui.Value)
            .ToList();
        var page = merged.Take(limit).ToList();
        // More when the merge overflows the page, or when the local service had more (then its `limit` items
        // filled this page, and the next starts after the last of them).
        var more = merged.Count > limit || localPage.Next is not null;
        return new ClaimPage(page, more && page.Count > 0 ? page[^1].DevEui : null);
    }

    public async Task<IReadOnlyList<UnclaimOutcome>> UnclaimAsync(Claimant claimant, IReadOnlyList<DevEui> devEuis, bool rotateCode, CancellationToken cancellationToken)
    {
        var localIndexes = new List<int>(devEuis.Count);
        var forwarded = new List<(int Index, RoutedClaim Record)>();
        for (var i = 0; i < devEuis.Count; i++)
        {
            if (await store.GetRoutedClaimAsync(devEuis[i], cancellationToken) is { } record && record.TenantId == claimant.TenantId)
            {
                forwarded.Add((i, record));
            }
            else
            {
                localIndexes.Add(i);
            }
        }
        if (forwarded.Count == 0)
        {
            return await local.UnclaimAsync(claimant, devEuis, rotateCode, cancellationToken);
        }
        var outcomes = new UnclaimOutcome[devEuis.Count];
        if (localIndexes.Count > 0)
        {
            var localOutcomes = await local.UnclaimAsync(claimant, [.. localIndexes.Select(i => devEuis[i])], rotateCode, cancellationToken);
            for (var k = 0; k < localIndexes.Count; k++)
            {
                outcomes[localIndexes[k]] = localOutcomes[k];
            }
        }
        var byDevice = forwarded.GroupBy(item => item.Record.DevEui).ToList();
        await Parallel.ForEachAsync(
            byDevice,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentForwards, CancellationToken = cancellationToken },
            async (items, token) =>
            {
                var done = false;
                foreach (var (index, record) in items)
                {
                    // A device named twice: the second finds it released, as the local service would.
                    outcomes[index] = done
                        ? new UnclaimOutcome(record.DevEui, NotYours(record.DevEui, claimant), null)
                        : await ForwardUnclaimAsync(claimant, record, rotateCode, token);
                    done = true;
                }
            });
        return outcomes;
    }

    public JoinEuiInfo Describe(JoinEui joinEui) =>
        routes.Match(joinEui) is { IsLocal: false } route
            ? new JoinEuiInfo(joinEui, true, route.JoinServer)
            : local.Describe(joinEui);

    private async Task<ClaimOutcome> ForwardClaimAsync(Claimant claimant, ClaimTarget target, ClaimRoute route, CancellationToken cancellationToken)
    {
        var devEui = target.DevEui;
        var joinEui = target.JoinEui!.Value;
        if (joinServers.Find(route.JoinServer) is not { } client)
        {
            return await FailedAsync(claimant, devEui, NotConfigured(route.JoinServer), cancellationToken);
        }
        if (await TakeShareAsync(claimant, client.Name, cancellationToken) is { } spent)
        {
            return await FailedAsync(claimant, devEui, spent, cancellationToken);
        }
        var existing = await store.GetRoutedClaimAsync(devEui, cancellationToken);
        if (existing is { Locked: true } held && held.TenantId != claimant.TenantId)
        {
            // The remote knows only us: ask it about the code with the holder's home, so that it changes nothing.
            var check = await ClaimUpstreamAsync(claimant, client, target with { Home = new HomeNetwork(held.HomeNetId, held.HomeNsId, held.AsId), Lock = true }, cancellationToken);
            var failure = check.Failure ?? CustodianErrors.DeviceClaimed.With($"Device {devEui} is claimed by another owner; it must unclaim the device first.");
            return await FailedAsync(claimant, devEui, failure, cancellationToken);
        }
        var answer = await ClaimUpstreamAsync(claimant, client, target, cancellationToken);
        if (answer.Failure is { } refused)
        {
            return await FailedAsync(claimant, devEui, refused, cancellationToken);
        }
        var unchanged = existing is { } mine
            && mine.TenantId == claimant.TenantId
            && mine.JoinServer == client.Name
            && mine.JoinEui == joinEui
            && mine.HomeNetId == target.Home.NetId
            && mine.HomeNsId == target.Home.NsId
            && mine.AsId == target.Home.AsId
            && mine.Locked == target.Lock;
        if (unchanged && !answer.Changed)
        {
            return new ClaimOutcome(devEui, ClaimResult.AlreadyClaimed, StatusOf(existing!), null);
        }
        var now = time.GetUtcNow();
        var record = new RoutedClaim(devEui, joinEui, claimant.TenantId, client.Name, target.Home.NetId, target.Home.NsId, target.Home.AsId, target.Lock, now);
        await store.PutRoutedClaimAsync(record, cancellationToken);
        await store.AppendEventAsync(
            new AuditEvent(0, now, claimant.TenantId, AuditEventTypes.ClaimSucceeded, devEui, null, Describe(record), claimant.Actor),
            cancellationToken);
        return new ClaimOutcome(devEui, ClaimResult.Claimed, StatusOf(record), null);
    }

    // One claim at the remote, with the tenant's share given back unless the code was wrong, and the operator
    // alerted when the remote rate-limits our shared credential.
    private async Task<RemoteClaim> ClaimUpstreamAsync(Claimant claimant, IJoinServerClient client, ClaimTarget target, CancellationToken cancellationToken)
    {
        RemoteClaim answer;
        try
        {
            answer = await client.ClaimAsync(target, cancellationToken);
        }
        catch
        {
            await GiveBackShareAsync(claimant, client.Name, CancellationToken.None);
            throw;
        }
        if (answer.Failure?.Error != CustodianErrors.ClaimRefused)
        {
            await GiveBackShareAsync(claimant, client.Name, cancellationToken);
        }
        if (answer.Failure?.Error == CustodianErrors.RateLimited)
        {
            await AlertOperatorAsync(claimant, client.Name, answer.Failure, cancellationToken);
        }
        return answer;
    }

    private async Task<CustodianFailure?> TakeShareAsync(Claimant claimant, string joinServer, CancellationToken cancellationToken)
    {
        if (tenantBudgets is null || !tenantBudgets.TryGetValue(joinServer, out var allowance))
        {
            return null;
        }
        var key = ClaimThrottleKeys.RoutedBudget(joinServer, claimant.TenantId);
        var now = time.GetUtcNow();
        var granted = 0;
        var stored = await store.UpdateClaimThrottleAsync(key, now, row => allowance.Take(key, row, 1, now, out granted), cancellationToken);
        if (granted == 1)
        {
            return null;
        }
        observer?.RoutedBudgetSpent(joinServer, claimant);
        var retryAfter = allowance.RetryAfter(stored!.Count);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        var refusal = CustodianErrors.RateLimited.With(
            $"This tenant presented too many wrong claim codes through Join Server '{joinServer}'; its claims there are refused for {seconds} s.");
        return refusal with { RetryAfter = retryAfter };
    }

    private async Task GiveBackShareAsync(Claimant claimant, string joinServer, CancellationToken cancellationToken)
    {
        if (tenantBudgets is null || !tenantBudgets.TryGetValue(joinServer, out var allowance))
        {
            return;
        }
        var key = ClaimThrottleKeys.RoutedBudget(joinServer, claimant.TenantId);
        var now = time.GetUtcNow();
        await store.UpdateClaimThrottleAsync(key, now, row => allowance.Refund(key, row, 1, row is null || row.At < now ? now : row.At), cancellationToken);
    }

    private async Task AlertOperatorAsync(Claimant claimant, string joinServer, CustodianFailure failure, CancellationToken cancellationToken)
    {
        observer?.UpstreamRateLimited(joinServer, claimant);
        var now = time.GetUtcNow();
        var key = ClaimThrottleKeys.UpstreamAlert(joinServer);
        var alert = false;
        // At most one event per interval and Join Server, across instances: the alert must not flood the log.
        await store.UpdateClaimThrottleAsync(key, now, row =>
        {
            alert = row is null;
            return row ?? new ClaimThrottle(key, 1, now, null, now + UpstreamAlertInterval);
        }, cancellationToken);
        if (alert)
        {
            await store.AppendEventAsync(new AuditEvent(0, now, Tenancy.Tenant.OperatorId, AuditEventTypes.UpstreamRateLimited, null, failure.Error.Code,
                $"Join Server '{joinServer}' rate-limits this server's shared credential (last seen for tenant '{claimant.TenantId}'): {failure.Detail}", null),
                cancellationToken);
        }
    }

    private async Task<UnclaimOutcome> ForwardUnclaimAsync(Claimant claimant, RoutedClaim record, bool rotateCode, CancellationToken cancellationToken)
    {
        var devEui = record.DevEui;
        if (joinServers.Find(record.JoinServer) is not { } client)
        {
            return new UnclaimOutcome(devEui, NotConfigured(record.JoinServer), null);
        }
        var answer = await client.UnclaimAsync(devEui, rotateCode, cancellationToken);
        if (answer.Failure is { } failure)
        {
            if (failure.Error != CustodianErrors.DeviceNotFound)
            {
                return new UnclaimOutcome(devEui, failure, null);
            }
            // The remote no longer holds it for us (released there): our record is stale.
            await store.DeleteRoutedClaimAsync(devEui, claimant.TenantId, cancellationToken);
            return new UnclaimOutcome(devEui, NotYours(devEui, claimant), null);
        }
        await store.DeleteRoutedClaimAsync(devEui, claimant.TenantId, cancellationToken);
        var now = time.GetUtcNow();
        await store.AppendEventAsync(
            new AuditEvent(0, now, claimant.TenantId, AuditEventTypes.Unclaimed, devEui, null,
                $"Unclaimed at Join Server '{record.JoinServer}' from network {record.HomeNetId}.", claimant.Actor),
            cancellationToken);
        if (answer.NewClaimCode is not null)
        {
            await store.AppendEventAsync(
                new AuditEvent(0, now, claimant.TenantId, AuditEventTypes.ClaimCodeRotated, devEui, null,
                    $"Join Server '{record.JoinServer}' issued a new claim code; the previous one no longer claims the device.", claimant.Actor),
                cancellationToken);
        }
        return new UnclaimOutcome(devEui, null, answer.NewClaimCode);
    }

    private async Task<ClaimOutcome> FailedAsync(Claimant claimant, DevEui devEui, CustodianFailure failure, CancellationToken cancellationToken)
    {
        await store.AppendEventAsync(
            new AuditEvent(0, time.GetUtcNow(), claimant.TenantId, AuditEventTypes.ClaimFailed, devEui, failure.Error.Code, failure.Detail, claimant.Actor),
            cancellationToken);
        return ClaimOutcome.Failed(devEui, failure);
    }

    private static ClaimStatus StatusOf(RoutedClaim record) =>
        new(record.DevEui, record.JoinEui, record.HomeNetId, record.HomeNsId, record.AsId, record.Locked, record.ClaimedAt, record.JoinServer);

    private static CustodianFailure NotConfigured(string joinServer) =>
        CustodianErrors.JoinServerUnavailable.With($"Join Server '{joinServer}' is not configured on this server (Custodian:Claims:JoinServers).");

    private static CustodianFailure NotYours(DevEui devEui, Claimant claimant) =>
        CustodianErrors.DeviceNotFound.With($"Tenant '{claimant.TenantId}' has not claimed a device {devEui}.");

    private static string Describe(RoutedClaim record)
    {
        var nsId = record.HomeNsId is null ? "" : $" (NSID {record.HomeNsId})";
        var asId = record.AsId is null ? "" : $", application server '{record.AsId}'";
        return $"Claimed through Join Server '{record.JoinServer}' at network {record.HomeNetId}{nsId}{asId}{(record.Locked ? "" : ", unlocked")}.";
    }
}
