namespace Custodian.Server.Tests.Durability;

/// <summary>One device's joins as the network server saw them. Only the connection that owns the device writes it.</summary>
internal sealed class DeviceLedger(ProvisionedDevice device)
{
    public ProvisionedDevice Device { get; } = device;

    /// <summary>Counts a request as sent before it goes out: a join in flight at the kill may or may not have been stored.</summary>
    public ushort HighestSentDevNonce { get; private set; }

    public ushort HighestAnsweredDevNonce { get; private set; }

    public uint HighestAnsweredJoinNonce { get; private set; }

    public int Answered { get; private set; }

    public ushort NextDevNonce() => ++HighestSentDevNonce;

    public void Record(ushort devNonce, JoinAnswer answer)
    {
        Answered++;
        HighestAnsweredDevNonce = devNonce;
        HighestAnsweredJoinNonce = answer.JoinNonce!.Value;
    }
}

/// <summary>
/// Joins on several connections at once, each connection owning a disjoint set of devices and sending their DevNonces
/// in rising order, until the server stops answering. Records every Success in the devices' ledgers.
/// </summary>
internal sealed class JoinLoad(NetworkServerClient ns, IReadOnlyList<DeviceLedger> ledgers, int connections, int answersWanted)
{
    private readonly TaskCompletionSource _enoughAnswers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _refusals = [];
    private Task _connections = Task.CompletedTask;
    private int _answered;
    private int _inFlight;

    /// <summary>Answers other than Success while the server was up (there should be none).</summary>
    public IReadOnlyList<string> Refusals
    {
        get
        {
            lock (_refusals)
            {
                return [.. _refusals];
            }
        }
    }

    public Task RunUntilTheServerDiesAsync(CancellationToken cancel) =>
        _connections = Task.WhenAll(Enumerable.Range(0, connections).Select(c =>
            Task.Run(() => ConnectionAsync([.. ledgers.Where((_, i) => i % connections == c)], cancel), cancel)));

    /// <summary>
    /// Waits until enough joins were answered and at least one request is on the wire; returns how many are
    /// (0 only when every connection has already stopped on a refusal).
    /// </summary>
    public async Task<int> WaitForAnswersThenInFlightAsync(CancellationToken cancel)
    {
        await Task.WhenAny(_enoughAnswers.Task, _connections).WaitAsync(cancel);
        var spin = new SpinWait();
        while (Volatile.Read(ref _inFlight) == 0 && !_connections.IsCompleted)
        {
            cancel.ThrowIfCancellationRequested();
            spin.SpinOnce();
        }
        return Volatile.Read(ref _inFlight);
    }

    private async Task ConnectionAsync(DeviceLedger[] mine, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                foreach (var ledger in mine)
                {
                    var devNonce = ledger.NextDevNonce();
                    Interlocked.Increment(ref _inFlight);
                    JoinAnswer answer;
                    try
                    {
                        answer = await ns.JoinAsync(ledger.Device, devNonce, cancel);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _inFlight);
                    }
                    Record(ledger, devNonce, answer);
                }
            }
        }
        catch (HttpRequestException)
        {
            // The server is gone: this connection's work is over.
        }
        catch (IOException)
        {
            // Likewise, when the connection broke mid-answer.
        }
    }

    private void Record(DeviceLedger ledger, ushort devNonce, JoinAnswer answer)
    {
        if (!answer.Succeeded)
        {
            lock (_refusals)
            {
                _refusals.Add($"{ledger.Device.DevEui} DevNonce {devNonce}: {answer.ResultCode}");
            }
            // A refused valid join is a failure of its own: this connection stops, and the test reports it.
            throw new HttpRequestException("Stopping after a refusal.");
        }
        ledger.Record(devNonce, answer);
        if (Interlocked.Increment(ref _answered) >= answersWanted)
        {
            _enoughAnswers.TrySetResult();
        }
    }
}
