using System.Threading.Channels;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// The one writer: a queue drained by one task that runs every pending write in a single
/// <c>BEGIN IMMEDIATE</c> transaction and completes each caller only after COMMIT. Many joins share one
/// commit (and, with <c>synchronous=FULL</c>, one fsync). Each write decides its own outcome (a version check
/// that finds a stale version writes nothing and reports a conflict); a write that throws rolls the batch back,
/// and the batch is then run again one write per transaction so only the failing write fails.
/// Small writes go first: a group takes every small write waiting, then bulk writes (claim batches) up to
/// <see cref="MaxBulkWeight"/> rows, so a join or a single claim waits for at most one bulk write, never a queue of them.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    /// <summary>A write of more rows than this is bulk.</summary>
    private const int BulkWeight = 16;

    /// <summary>The rows of bulk writes one group takes (it always takes one, however large).</summary>
    private const int MaxBulkWeight = 1024;

    private readonly SqliteHandle _db;
    private readonly Channel<IWriteWork> _queue = Channel.CreateUnbounded<IWriteWork>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly List<IWriteWork> _batch = new(MaxBatch);
    private readonly Queue<IWriteWork> _bulk = new();
    private readonly Task _loop;

    public GroupCommitWriter(SqliteHandle db)
    {
        _db = db;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> Enqueue<T>(WriteWork<T> work)
    {
        if (!_queue.Writer.TryWrite(work))
        {
            work.Fail(new ObjectDisposedException(nameof(SqliteCustodianStore)));
        }
        return work.Task;
    }

    public Task<T> Enqueue<T>(Func<SqliteHandle, T> run, CancellationToken cancellationToken) =>
        Enqueue(new FuncWork<T>(run, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _db.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (_bulk.Count > 0 || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_batch.Count < MaxBatch && reader.TryRead(out var work))
            {
                if (work.CancelIfRequested())
                {
                    continue;
                }
                if (work.Weight > BulkWeight)
                {
                    _bulk.Enqueue(work);
                }
                else
                {
                    _batch.Add(work);
                }
            }
            TakeBulk();
            if (_batch.Count > 0)
            {
                RunBatch();
                _batch.Clear();
            }
        }
    }

    private void TakeBulk()
    {
        var weight = 0;
        while (_bulk.TryPeek(out var work) && (weight == 0 || weight + work.Weight <= MaxBulkWeight))
        {
            _bulk.Dequeue();
            if (!work.CancelIfRequested())
            {
                _batch.Add(work);
                weight += work.Weight;
            }
        }
    }

    private void RunBatch()
    {
        try
        {
            Begin();
            foreach (var work in _batch)
            {
                work.Execute(_db);
            }
            Commit();
        }
        catch (Exception exception)
        {
            Rollback();
            if (_batch.Count == 1)
            {
                _batch[0].Fail(exception);
                return;
            }
            foreach (var work in _batch)
            {
                RunAlone(work);
            }
            return;
        }
        foreach (var work in _batch)
        {
            work.Complete();
        }
    }

    private void RunAlone(IWriteWork work)
    {
        try
        {
            Begin();
            work.Execute(_db);
            Commit();
        }
        catch (Exception exception)
        {
            Rollback();
            work.Fail(exception);
            return;
        }
        work.Complete();
    }

    private void Begin() => _db.Command("BEGIN IMMEDIATE").ExecuteNonQuery();

    private void Commit() => _db.Command("COMMIT").ExecuteNonQuery();

    private void Rollback()
    {
        try
        {
            _db.Command("ROLLBACK").ExecuteNonQuery();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // No transaction was open (BEGIN itself failed): nothing to undo.
        }
    }
}
