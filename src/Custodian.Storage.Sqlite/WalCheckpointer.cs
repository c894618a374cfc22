namespace Custodian.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own connection, every <see cref="Interval"/>, so the
/// single writer's own checkpoints (which alone can complete while writes keep coming, and so let the WAL
/// restart) find little left to copy. PASSIVE checkpoints never block the writer or the readers.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly SqliteHandle _db;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    public WalCheckpointer(SqliteHandle db)
    {
        _db = db;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _db.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Checkpoint();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last checkpoint happens when the writer's connection closes.
        }
    }

    private void Checkpoint()
    {
        try
        {
            _db.Execute("PRAGMA wal_checkpoint(PASSIVE)");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Busy or interrupted: the next tick tries again, and the WAL keeps every committed write meanwhile.
        }
    }
}
