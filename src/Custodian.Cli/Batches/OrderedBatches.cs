using System.Threading.Channels;
using Custodian.Cli.Output;

namespace Custodian.Cli.Batches;

/// <summary>
/// Sends batches with up to <c>parallel</c> in flight and hands them back in input order (a batch that finishes early
/// waits for those before it). Producing, sending and consuming overlap, and at most about twice <c>parallel</c>
/// batches are held at once, so memory does not grow with the input. Used by bulk claims and bulk provisioning.
/// </summary>
internal static class OrderedBatches
{
    /// <summary>
    /// Runs every batch through <paramref name="send"/> and then, in input order, <paramref name="consume"/>, which
    /// returns a reason to stop (the server is gone, the key is refused) or null to go on. The caller's cancellation
    /// ends the run as <see cref="BatchRunEnd.Interrupted"/>; batches in flight then are abandoned, not consumed.
    /// </summary>
    public static async Task<(BatchRunEnd End, string? Reason)> RunAsync<TBatch>(
        IEnumerable<TBatch> batches,
        int parallel,
        Func<TBatch, CancellationToken, Task<TBatch>> send,
        Func<TBatch, string?> consume,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Bounded: the producer waits while the oldest batch is still out, so finished batches cannot pile up.
        var pending = Channel.CreateBounded<Task<TBatch>>(new BoundedChannelOptions(parallel) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(batches, parallel, send, pending.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var sending in pending.Reader.ReadAllAsync(CancellationToken.None))
            {
                if (consume(await sending) is { } reason)
                {
                    return (BatchRunEnd.Stopped, reason);
                }
            }
            await producer;
            return (BatchRunEnd.Completed, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (BatchRunEnd.Interrupted, null);
        }
        finally
        {
            await stop.CancelAsync();
            await Quietly(producer);
            while (pending.Reader.TryRead(out var abandoned))
            {
                await Quietly(abandoned);
            }
        }
    }

    private static async Task ProduceAsync<TBatch>(
        IEnumerable<TBatch> batches, int parallel, Func<TBatch, CancellationToken, Task<TBatch>> send,
        ChannelWriter<Task<TBatch>> pending, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(parallel);
        Exception? failure = null;
        try
        {
            foreach (var batch in batches)
            {
                await slots.WaitAsync(cancellationToken);
                await pending.WriteAsync(SendAsync(batch, send, slots, cancellationToken), cancellationToken);
            }
        }
        catch (Exception e)
        {
            // A cancelled run ends the channel normally: the consumer sees the cancellation in the batches themselves.
            failure = e is OperationCanceledException ? null : e;
            throw;
        }
        finally
        {
            pending.TryComplete(failure);
            // Each batch gives its slot back when it is done; wait for them, so the semaphore outlives its users.
            for (var i = 0; i < parallel; i++)
            {
                await slots.WaitAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<TBatch> SendAsync<TBatch>(
        TBatch batch, Func<TBatch, CancellationToken, Task<TBatch>> send, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            return await send(batch, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Already accounted for: the run has ended and says why.
        }
    }
}

/// <summary>How a run ended: every batch done, stopped (server unreachable, key refused, a file broken halfway), or interrupted by the user.</summary>
internal enum BatchRunEnd
{
    Completed,
    Stopped,
    Interrupted,
}

internal static class BatchRunEnds
{
    /// <summary>The exit code of a bulk command: 130 when interrupted, 2 when stopped, else 1 if any row failed.</summary>
    public static int ExitCode(this BatchRunEnd end, long failedRows) => end switch
    {
        BatchRunEnd.Interrupted => ExitCodes.Interrupted,
        BatchRunEnd.Stopped => ExitCodes.Usage,
        _ => failedRows > 0 ? ExitCodes.Failure : ExitCodes.Success,
    };

    /// <summary>On stderr, for a run that did not finish: why, how far it got (<paramref name="progress"/>), and that a rerun finishes it.</summary>
    public static void WriteUnfinished(this BatchRunEnd end, CliConsole console, string? reason, string progress, string rerun)
    {
        if (end != BatchRunEnd.Completed)
        {
            var why = end == BatchRunEnd.Interrupted ? "Interrupted" : $"Stopped: {reason}";
            console.Error.WriteLine($"{why} after {progress}. Run the same command again to finish: {rerun}");
        }
    }
}
