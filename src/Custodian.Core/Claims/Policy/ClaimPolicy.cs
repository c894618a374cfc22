using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Claims.Policy;

/// <summary>
/// The one claim policy every claim passes through, whatever API it came in by (REST v1 single, batch and import,
/// The Things Join Server v2): the host hands out no other <see cref="IClaimService"/>. For each call it
/// <list type="number">
/// <item>decides each DevEUI once: a later item naming the same DevEUI is refused without being looked at, so a
/// batch tells nothing a single call would not;</item>
/// <item>refuses items whose claimant (tenant) is locked out of that DevEUI (<c>claim_locked</c>), known device or not;</item>
/// <item>admits at most what is left of the key's wrong-code budget, in rounds (a round's right codes are given back
/// before the next), the rest <c>rate_limited</c>;</item>
/// <item>lets the inner service decide, then counts each wrong code (an unknown device, a wrong JoinEUI or code alike)
/// against that (DevEUI, claimant) and the budget, item by item.</item>
/// </list>
/// Lock-outs and budgets live in the store (<see cref="IClaimThrottleRegistry"/>), so instances sharing a database
/// share them and a restart keeps them. A stranger's wrong codes lock only the stranger: the device's holder is
/// alerted instead (<see cref="LocalClaimService"/>), and the buyer with the right code still claims.
/// </summary>
public sealed class ClaimPolicy(IClaimService inner, ICustodianStore store, ClaimPolicyOptions options, TimeProvider time, IClaimPolicyObserver observer)
    : IClaimService
{
    public async Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(Claimant claimant, IReadOnlyList<ClaimTarget> targets, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcomes = new ClaimOutcome[targets.Count];
        var candidates = FirstOfEachDevice(targets, outcomes);
        var locks = await ReadLocksAsync(claimant, candidates.Select(i => targets[i].DevEui), now, cancellationToken);
        var open = new List<int>(candidates.Count);
        var audits = new List<AuditEvent>();
        foreach (var i in candidates)
        {
            if (locks.TryGetValue(targets[i].DevEui, out var row) && row.LockedUntil is { } until && until > now)
            {
                outcomes[i] = ClaimOutcome.Failed(targets[i].DevEui, LocalClaimService.Locked(targets[i].DevEui, until, now));
                audits.Add(FailureEvent(claimant, outcomes[i], now));
            }
            else
            {
                open.Add(i);
            }
        }
        if (audits.Count > 0)
        {
            await store.AppendEventsAsync(audits, cancellationToken);
        }
        // In rounds as large as what is left of the budget: a round's right codes are given back before the next,
        // so an honest batch of any size goes through, and a guesser's stops where the budget does.
        var pending = open;
        while (pending.Count > 0)
        {
            var granted = await TakeBudgetAsync(claimant, pending.Count, now, cancellationToken);
            if (granted.Count == 0)
            {
                foreach (var i in pending)
                {
                    outcomes[i] = ClaimOutcome.Failed(targets[i].DevEui, granted.Refusal!);
                }
                observer.WrongCodeBudgetSpent(claimant, pending.Count, granted.Refusal!.RetryAfter ?? TimeSpan.Zero);
                break;
            }
            await DecideAsync(claimant, targets, pending.GetRange(0, granted.Count), locks, outcomes, now, cancellationToken);
            pending = pending.GetRange(granted.Count, pending.Count - granted.Count);
        }
        return outcomes;
    }

    /// <summary>
    /// Counts one wrong code for (<paramref name="devEui"/>, <paramref name="claimant"/>) without deciding anything, for
    /// a claim whose code cannot even be read (e.g. an unusable v2 <c>ownerToken</c>): the answer is what a wrong code
    /// gets (<c>claim_refused</c>), or <c>claim_locked</c> / <c>rate_limited</c> when those come first, and it is
    /// audited and counted exactly as a wrong code the inner service found.
    /// </summary>
    public async Task<ClaimOutcome> CountWrongCodeAsync(Claimant claimant, DevEui devEui, JoinEui? joinEui, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var locks = await ReadLocksAsync(claimant, [devEui], now, cancellationToken);
        ClaimOutcome outcome;
        if (locks.TryGetValue(devEui, out var row) && row.LockedUntil is { } until && until > now)
        {
            outcome = ClaimOutcome.Failed(devEui, LocalClaimService.Locked(devEui, until, now));
        }
        else if (await TakeBudgetAsync(claimant, 1, now, cancellationToken) is { Count: 0, Refusal: { } refusal })
        {
            observer.WrongCodeBudgetSpent(claimant, 1, refusal.RetryAfter ?? TimeSpan.Zero);
            return ClaimOutcome.Failed(devEui, refusal);
        }
        else
        {
            outcome = ClaimOutcome.Failed(devEui, LocalClaimService.Refused(devEui, joinEui));
            await CountFailureAsync(claimant, devEui, now, cancellationToken);
        }
        await store.AppendEventAsync(FailureEvent(claimant, outcome, now), cancellationToken);
        return outcome;
    }

    public Task<ClaimStatusOutcome> GetStatusAsync(Claimant claimant, DevEui devEui, CancellationToken cancellationToken) =>
        inner.GetStatusAsync(claimant, devEui, cancellationToken);

    public Task<ClaimPage> ListAsync(Claimant claimant, DevEui? after, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(claimant, after, limit, cancellationToken);

    public Task<IReadOnlyList<UnclaimOutcome>> UnclaimAsync(Claimant claimant, IReadOnlyList<DevEui> devEuis, bool rotateCode, CancellationToken cancellationToken) =>
        inner.UnclaimAsync(claimant, devEuis, rotateCode, cancellationToken);

    public JoinEuiInfo Describe(JoinEui joinEui) => inner.Describe(joinEui);

    /// <summary>Deletes expired throttle rows (lock-outs long over, budgets long full).</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken) => store.PruneClaimThrottlesAsync(time.GetUtcNow(), cancellationToken);

    private async Task DecideAsync(
        Claimant claimant, IReadOnlyList<ClaimTarget> targets, List<int> decided, Dictionary<DevEui, ClaimThrottle> locks,
        ClaimOutcome[] outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decided.Count == 0)
        {
            return;
        }
        IReadOnlyList<ClaimOutcome> results;
        try
        {
            results = await inner.ClaimAsync(claimant, [.. decided.Select(i => targets[i])], cancellationToken);
        }
        catch
        {
            // Nothing was decided (the store rolled back): the budget taken for it was not spent.
            await RefundBudgetAsync(claimant, decided.Count, now, CancellationToken.None);
            throw;
        }
        var wrong = 0;
        for (var k = 0; k < decided.Count; k++)
        {
            var outcome = outcomes[decided[k]] = results[k];
            if (outcome.Failure?.Error == CustodianErrors.ClaimRefused)
            {
                wrong++;
                await CountFailureAsync(claimant, outcome.DevEui, now, cancellationToken);
            }
            else if (outcome.Result != ClaimResult.Failed && locks.ContainsKey(outcome.DevEui))
            {
                await store.UpdateClaimThrottleAsync(ClaimThrottleKeys.Lockout(outcome.DevEui, claimant.TenantId), now, _ => null, cancellationToken);
            }
        }
        await RefundBudgetAsync(claimant, decided.Count - wrong, now, cancellationToken);
    }

    // The first item of each DevEUI goes on; a later one is answered here, undecided.
    private static List<int> FirstOfEachDevice(IReadOnlyList<ClaimTarget> targets, ClaimOutcome[] outcomes)
    {
        var first = new Dictionary<DevEui, int>(targets.Count);
        var candidates = new List<int>(targets.Count);
        for (var i = 0; i < targets.Count; i++)
        {
            var devEui = targets[i].DevEui;
            if (first.TryAdd(devEui, i))
            {
                candidates.Add(i);
            }
            else
            {
                outcomes[i] = ClaimOutcome.Failed(devEui, CustodianErrors.InvalidField.With(
                    $"devEui: device {devEui} is named more than once in this call; only its first claim (item {first[devEui]}) was decided."));
            }
        }
        return candidates;
    }

    private async Task<Dictionary<DevEui, ClaimThrottle>> ReadLocksAsync(
        Claimant claimant, IEnumerable<DevEui> devEuis, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byKey = devEuis.ToDictionary(d => ClaimThrottleKeys.Lockout(d, claimant.TenantId));
        if (byKey.Count == 0)
        {
            return [];
        }
        var rows = await store.GetClaimThrottlesAsync([.. byKey.Keys], now, cancellationToken);
        return rows.ToDictionary(row => byKey[row.Key]);
    }

    private async Task CountFailureAsync(Claimant claimant, DevEui devEui, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lockout = options.Lockout;
        var stored = await store.UpdateClaimThrottleAsync(ClaimThrottleKeys.Lockout(devEui, claimant.TenantId), now, row =>
        {
            var failures = (int)(row?.Count ?? 0) + 1;
            var until = lockout.LockedUntil(failures, now);
            return new ClaimThrottle(ClaimThrottleKeys.Lockout(devEui, claimant.TenantId), failures, now, until, (until ?? now) + lockout.LongestLock);
        }, cancellationToken);
        if (stored?.LockedUntil is { } lockedUntil)
        {
            observer.ClaimantLocked(claimant, devEui, lockedUntil);
            await store.AppendEventAsync(new AuditEvent(0, now, claimant.TenantId, AuditEventTypes.ClaimLocked, devEui, CustodianErrors.ClaimLocked.Code,
                $"{(int)stored.Count} wrong claim codes in a row from this tenant; its claims of this device are refused until {lockedUntil:u}.", claimant.Actor),
                cancellationToken);
        }
    }

    private async Task<(int Count, CustodianFailure? Refusal)> TakeBudgetAsync(Claimant claimant, int wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.BudgetEnabled || wanted == 0)
        {
            return (wanted, null);
        }
        var allowance = options.AllowanceOf(claimant);
        var key = ClaimThrottleKeys.Budget(claimant);
        var granted = 0;
        var at = Later(now, time.GetUtcNow());
        var stored = await store.UpdateClaimThrottleAsync(
            key, at, row => allowance.Take(key, row, wanted, row is null ? at : Later(at, row.At), out granted), cancellationToken);
        if (granted == wanted)
        {
            return (granted, null);
        }
        var retryAfter = allowance.RetryAfter(stored!.Count);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        var refusal = CustodianErrors.RateLimited.With($"This API key presented too many wrong claim codes; its claims are refused for {seconds} s.");
        return (granted, refusal with { RetryAfter = retryAfter });
    }

    private async Task RefundBudgetAsync(Claimant claimant, int unspent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.BudgetEnabled || unspent <= 0)
        {
            return;
        }
        // Refilled up to the time of the refund: another call may have written the row since this one began.
        var allowance = options.AllowanceOf(claimant);
        var key = ClaimThrottleKeys.Budget(claimant);
        var at = Later(now, time.GetUtcNow());
        await store.UpdateClaimThrottleAsync(key, at, row => allowance.Refund(key, row, unspent, row is null ? at : Later(at, row.At)), cancellationToken);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static AuditEvent FailureEvent(Claimant claimant, ClaimOutcome outcome, DateTimeOffset now) =>
        new(0, now, claimant.TenantId, AuditEventTypes.ClaimFailed, outcome.DevEui, outcome.Failure!.Error.Code, outcome.Failure.Detail, claimant.Actor);
}
