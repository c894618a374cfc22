using System.Collections.Concurrent;
using Custodian.Core.Storage;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// Read connections for concurrent readers (WAL lets them read while the writer writes). A caller rents one,
/// uses its prepared commands and returns it; at most <see cref="MaxIdle"/> stay open when idle.
/// </summary>
internal sealed class ReaderPool(string path, Durability durability) : IDisposable
{
    // Reads run synchronously, so the readers in use at once are bounded by the threads running them.
    private const int MaxIdle = 32;
    private readonly ConcurrentBag<SqliteHandle> _idle = [];
    private int _idleCount;
    private bool _disposed;

    public SqliteHandle Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var handle))
        {
            Interlocked.Decrement(ref _idleCount);
            return handle;
        }
        return SqliteHandle.Open(path, durability);
    }

    public void Return(SqliteHandle handle)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            handle.Dispose();
            return;
        }
        _idle.Add(handle);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var handle))
        {
            handle.Dispose();
        }
    }
}
