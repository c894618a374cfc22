namespace Custodian.Storage.Sqlite;

/// <summary>A write queued for the group-commit writer: it runs inside the writer's open transaction.</summary>
internal interface IWriteWork
{
    /// <summary>True (and the caller's task cancelled) when the caller gave up before the write ran.</summary>
    bool CancelIfRequested();

    /// <summary>Does the work on the writer connection; may run again (alone) after a rolled-back batch.</summary>
    void Execute(SqliteHandle db);

    /// <summary>Called after COMMIT: hands the result to the caller.</summary>
    void Complete();

    void Fail(Exception exception);

    /// <summary>How many rows it writes, roughly: bulk writes (a claim batch) wait behind small ones (joins).</summary>
    int Weight => 1;
}

/// <summary>
/// The caller's task and the work in one object (one allocation for the task source and the work). Continuations
/// run asynchronously so callers never run on the writer's thread.
/// </summary>
internal abstract class WriteWork<T>(CancellationToken cancellationToken)
    : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IWriteWork
{
    private T _result = default!;

    public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && TrySetCanceled(cancellationToken);

    public void Execute(SqliteHandle db) => _result = Run(db);

    public void Complete() => TrySetResult(_result);

    public void Fail(Exception exception) => TrySetException(exception);

    protected abstract T Run(SqliteHandle db);
}

/// <summary>Any write given as a function: for the writes off the hot path.</summary>
internal sealed class FuncWork<T>(Func<SqliteHandle, T> run, CancellationToken cancellationToken) : WriteWork<T>(cancellationToken)
{
    protected override T Run(SqliteHandle db) => run(db);
}
