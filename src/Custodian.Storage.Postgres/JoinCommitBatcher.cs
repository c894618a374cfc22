using System.Threading.Channels;
using Custodian.Core.Storage;
using Npgsql;
using NpgsqlTypes;
using static Custodian.Storage.Postgres.PostgresValues;

namespace Custodian.Storage.Postgres;

/// <summary>
/// Group commit for joins on PostgreSQL: the commits waiting at a moment go to the server as one batch of
/// statements in one transaction (one round trip, one WAL flush). Each statement keeps its own version check,
/// so a stale commit reports a conflict without touching the others. If the batch fails (a deadlock with
/// another instance, a broken constraint) it is rolled back and each commit runs again on its own, so only
/// a commit that fails by itself fails. Row locks keep instances sharing the database consistent.
/// </summary>
internal sealed class JoinCommitBatcher : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Pending> _batch = new(MaxBatch);
    private readonly Task _loop;

    public JoinCommitBatcher(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = Task.Run(RunAsync);
    }

    public Task<JoinCommitResult> Enqueue(JoinCommit commit, CancellationToken cancellationToken)
    {
        var pending = new Pending(commit, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.TrySetException(new ObjectDisposedException(nameof(PostgresCustodianStore)));
        }
        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>One join as a statement: the version-checked device update and the inserts that depend on it.</summary>
    public static void AddParameters(NpgsqlParameterCollection parameters, JoinCommit commit)
    {
        var device = commit.Device;
        var session = commit.Session;
        var auditEvent = commit.Event;
        void Add(object? value, NpgsqlDbType type) => parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        Add((int?)device.LastDevNonce?.Value, NpgsqlDbType.Integer);
        Add((long)device.NextJoinNonce, NpgsqlDbType.Bigint);
        Add(ToDb(device.LastJoinAt), NpgsqlDbType.TimestampTz);
        Add(ToDb(device.DevEui), NpgsqlDbType.Bigint);
        Add(commit.ExpectedVersion, NpgsqlDbType.Bigint);
        Add((int)commit.DevNonce.Value, NpgsqlDbType.Integer);
        Add(commit.RememberDevNonce, NpgsqlDbType.Boolean);
        Add(session.SessionKeyId.ToArray(), NpgsqlDbType.Bytea);
        Add(session.OwnershipEpoch, NpgsqlDbType.Bigint);
        Add(ToDb(session.NetId), NpgsqlDbType.Integer);
        Add(session.AsId, NpgsqlDbType.Text);
        Add(session.AppSKey.ToStorageText(), NpgsqlDbType.Text);
        Add(ToDb(session.CreatedAt), NpgsqlDbType.TimestampTz);
        Add(ToDb(session.ExpiresAt), NpgsqlDbType.TimestampTz);
        Add(ToDb(auditEvent.Time), NpgsqlDbType.TimestampTz);
        Add(auditEvent.TenantId, NpgsqlDbType.Text);
        Add(auditEvent.Type, NpgsqlDbType.Text);
        Add(auditEvent.DevEui is { } devEui ? ToDb(devEui) : null, NpgsqlDbType.Bigint);
        Add(auditEvent.Code, NpgsqlDbType.Text);
        Add(auditEvent.Detail, NpgsqlDbType.Text);
        Add(auditEvent.Actor, NpgsqlDbType.Text);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                if (!pending.CancelIfRequested())
                {
                    _batch.Add(pending);
                }
            }
            if (_batch.Count == 1)
            {
                await RunAloneAsync(_batch[0]).ConfigureAwait(false);
            }
            else if (_batch.Count > 1)
            {
                await RunBatchAsync().ConfigureAwait(false);
            }
            _batch.Clear();
        }
    }

    private async Task RunBatchAsync()
    {
        var results = new JoinCommitResult[_batch.Count];
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var pending in _batch)
            {
                var command = new NpgsqlBatchCommand(PostgresSql.CommitJoin);
                AddParameters(command.Parameters, pending.Commit);
                batch.BatchCommands.Add(command);
            }
            await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
            {
                for (var i = 0; i < results.Length; i++)
                {
                    await reader.ReadAsync().ConfigureAwait(false);
                    results[i] = reader.GetInt64(0) == 1 ? JoinCommitResult.Committed : JoinCommitResult.Conflict;
                    await reader.NextResultAsync().ConfigureAwait(false);
                }
            }
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Rolled back (the transaction is disposed uncommitted): run each commit alone.
            foreach (var pending in _batch)
            {
                await RunAloneAsync(pending).ConfigureAwait(false);
            }
            return;
        }
        for (var i = 0; i < results.Length; i++)
        {
            _batch[i].TrySetResult(results[i]);
        }
    }

    private async Task RunAloneAsync(Pending pending)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(PostgresSql.CommitJoin);
            AddParameters(command.Parameters, pending.Commit);
            var updated = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
            pending.TrySetResult(updated == 1 ? JoinCommitResult.Committed : JoinCommitResult.Conflict);
        }
        catch (Exception exception)
        {
            pending.TrySetException(exception);
        }
    }

    private sealed class Pending(JoinCommit commit, CancellationToken cancellationToken)
        : TaskCompletionSource<JoinCommitResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public JoinCommit Commit => commit;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && TrySetCanceled(cancellationToken);
    }
}
