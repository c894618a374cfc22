using System.Collections.Concurrent;
using Custodian.Core.Claims;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Errors;

namespace Custodian.Core.Tests.Claims.Routing;

/// <summary>A remote Join Server that answers as told and records what it was asked.</summary>
internal sealed class FakeJoinServer(string name) : IJoinServerClient
{
    private int _inFlight;

    public string Name { get; } = name;

    public Func<ClaimTarget, RemoteClaim> OnClaim { get; set; } = _ => new RemoteClaim(true, null);

    public Func<DevEui, RemoteClaimStatus> OnStatus { get; set; } = _ => new RemoteClaimStatus(NetId.Parse("000013"), null, true, null);

    public Func<DevEui, bool, RemoteUnclaim> OnUnclaim { get; set; } = (_, _) => new RemoteUnclaim(null, null);

    public ConcurrentQueue<ClaimTarget> Claims { get; } = new();

    public ConcurrentQueue<DevEui> Unclaims { get; } = new();

    public int MostInFlight { get; private set; }

    /// <summary>How long each claim takes (to observe concurrency).</summary>
    public TimeSpan Delay { get; set; }

    public async Task<RemoteClaim> ClaimAsync(ClaimTarget target, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (Claims)
        {
            MostInFlight = Math.Max(MostInFlight, now);
        }
        try
        {
            Claims.Enqueue(target);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }
            return OnClaim(target);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<RemoteClaimStatus> GetStatusAsync(DevEui devEui, CancellationToken cancellationToken) => Task.FromResult(OnStatus(devEui));

    public Task<RemoteUnclaim> UnclaimAsync(DevEui devEui, bool rotateCode, CancellationToken cancellationToken)
    {
        Unclaims.Enqueue(devEui);
        return Task.FromResult(OnUnclaim(devEui, rotateCode));
    }
}

internal sealed class FakeJoinServers(params FakeJoinServer[] servers) : IJoinServerClients
{
    public IJoinServerClient? Find(string name) => servers.FirstOrDefault(s => s.Name == name);
}

/// <summary>The local claim service as a list of owned devices: it claims what it is given and pages by DevEUI.</summary>
internal sealed class FakeLocalClaims : IClaimService
{
    public List<ClaimStatus> Owned { get; } = [];

    public List<IReadOnlyList<ClaimTarget>> ClaimCalls { get; } = [];

    public List<IReadOnlyList<DevEui>> UnclaimCalls { get; } = [];

    public Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(Claimant claimant, IReadOnlyList<ClaimTarget> targets, CancellationToken cancellationToken)
    {
        ClaimCalls.Add(targets);
        return Task.FromResult<IReadOnlyList<ClaimOutcome>>(
        [
            .. targets.Select(t => new ClaimOutcome(t.DevEui, ClaimResult.Claimed,
                new ClaimStatus(t.DevEui, t.JoinEui ?? default, t.Home.NetId, t.Home.NsId, t.Home.AsId, t.Lock, DateTimeOffset.UnixEpoch, "local"), null)),
        ]);
    }

    public Task<ClaimStatusOutcome> GetStatusAsync(Claimant claimant, DevEui devEui, CancellationToken cancellationToken) =>
        Task.FromResult(Owned.Find(s => s.DevEui == devEui) is { } status
            ? new ClaimStatusOutcome(status, null)
            : new ClaimStatusOutcome(null, CustodianErrors.DeviceNotFound.With($"local: no {devEui}")));

    public Task<ClaimPage> ListAsync(Claimant claimant, DevEui? after, int limit, CancellationToken cancellationToken)
    {
        var rest = Owned.Where(s => after is null || s.DevEui.Value > after.Value.Value).OrderBy(s => s.DevEui.Value).ToList();
        var page = rest.Take(limit).ToList();
        return Task.FromResult(new ClaimPage(page, rest.Count > limit ? page[^1].DevEui : null));
    }

    public Task<IReadOnlyList<UnclaimOutcome>> UnclaimAsync(Claimant claimant, IReadOnlyList<DevEui> devEuis, bool rotateCode, CancellationToken cancellationToken)
    {
        UnclaimCalls.Add(devEuis);
        return Task.FromResult<IReadOnlyList<UnclaimOutcome>>([.. devEuis.Select(d => new UnclaimOutcome(d, null, null))]);
    }

    public JoinEuiInfo Describe(JoinEui joinEui) => new(joinEui, true, "local");
}
