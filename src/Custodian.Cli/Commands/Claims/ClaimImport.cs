using System.Threading.Channels;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// Claims the rows of a file in batches, <c>parallel</c> batches in flight, and hands the batches back to the tally in
/// input order (a batch that finishes early waits for those before it). Reading, sending and tallying overlap, and
/// at most about twice <c>parallel</c> batches are held at once, so memory does not grow with the file.
/// </summary>
internal sealed class ClaimImport(CustodianClient client, ClaimHome home, int batchSize, int parallel)
{
    /// <summary>Claims <paramref name="rows"/>; returns how it ended. The caller's cancellation ends it as <see cref="ClaimImportEnd.Interrupted"/>.</summary>
    public async Task<(ClaimImportEnd End, string? Reason)> RunAsync(
        IEnumerable<ClaimRow> rows, ClaimTally tally, ProgressBar progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Bounded: the reader waits while the oldest batch is still out, so finished batches cannot pile up.
        var pending = Channel.CreateBounded<Task<ClaimBatch>>(new BoundedChannelOptions(parallel) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(rows, pending.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var sending in pending.Reader.ReadAllAsync(CancellationToken.None))
            {
                var batch = await sending;
                tally.Add(batch);
                progress.Advance(batch.Rows.Length);
                if (batch.StopReason is { } reason)
                {
                    return (ClaimImportEnd.Stopped, reason);
                }
            }
            await producer;
            return (ClaimImportEnd.Completed, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (ClaimImportEnd.Interrupted, null);
        }
        finally
        {
            await stop.CancelAsync();
            await Quietly(producer);
            // Batches still out when the import stopped are cancelled, and not reported: a rerun reports them.
            while (pending.Reader.TryRead(out var abandoned))
            {
                await Quietly(abandoned);
            }
        }
    }

    private async Task ProduceAsync(IEnumerable<ClaimRow> rows, ChannelWriter<Task<ClaimBatch>> pending, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(parallel);
        Exception? failure = null;
        try
        {
            foreach (var batch in Batches(rows))
            {
                await slots.WaitAsync(cancellationToken);
                var sending = SendAsync(batch, slots, cancellationToken);
                await pending.WriteAsync(sending, cancellationToken);
            }
        }
        catch (Exception e)
        {
            // A cancelled import ends the channel normally: the consumer sees the cancellation in the batches themselves.
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

    private async Task<ClaimBatch> SendAsync(ClaimBatch batch, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            return await batch.SendAsync(client, home, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private IEnumerable<ClaimBatch> Batches(IEnumerable<ClaimRow> rows)
    {
        var buffer = new List<ClaimRow>(batchSize);
        foreach (var row in rows)
        {
            buffer.Add(row);
            if (buffer.Count == batchSize)
            {
                yield return new ClaimBatch([.. buffer]);
                buffer.Clear();
            }
        }
        if (buffer.Count > 0)
        {
            yield return new ClaimBatch([.. buffer]);
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
            // Already accounted for: the import has ended and says why.
        }
    }
}

/// <summary>How an import ended: every row done, stopped by the server (unreachable, key refused), or interrupted by the user.</summary>
internal enum ClaimImportEnd
{
    Completed,
    Stopped,
    Interrupted,
}
