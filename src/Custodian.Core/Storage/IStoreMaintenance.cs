namespace Custodian.Core.Storage;

/// <summary>
/// What an operator's maintenance needs from a store, apart from the registries: pruning old data, the KEK check
/// values, and re-sealing stored secrets (a KEK rotation). Every method is one short transaction, so joins keep
/// being answered between calls.
/// </summary>
public interface IStoreMaintenance
{
    /// <summary>Deletes up to <paramref name="limit"/> audit events older than <paramref name="before"/>, oldest first.</summary>
    Task<int> DeleteEventsBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> sessions that expired before <paramref name="before"/>.</summary>
    Task<int> DeleteSessionsExpiredBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>How many rows each table holds (for tests and the operator's view of growth).</summary>
    Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken);

    /// <summary>Every KEK label the database knows, with its check value (storage text of a sealed constant).</summary>
    Task<IReadOnlyDictionary<string, string>> ReadKekChecksAsync(CancellationToken cancellationToken);

    /// <summary>Stores a label's check value unless the label has one already; false when it had.</summary>
    Task<bool> AddKekCheckAsync(string label, string check, CancellationToken cancellationToken);

    /// <summary>Forgets the check values of these labels (after a rewrap left nothing sealed under them).</summary>
    Task RemoveKekChecksAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> cells of <paramref name="column"/> after the cursor <paramref name="after"/>
    /// (null: from the start), in the column's key order.
    /// </summary>
    Task<IReadOnlyList<SealedCell>> ReadSealedAsync(SealedColumn column, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces cells in one transaction, each only if it still holds <see cref="SealedReplacement.Old"/> (a row
    /// changed meanwhile keeps its new value); a device row's version is bumped so a concurrent read-modify-write
    /// retries instead of writing the old seal back. Returns how many were replaced.
    /// </summary>
    Task<int> ReplaceSealedAsync(SealedColumn column, IReadOnlyList<SealedReplacement> replacements, CancellationToken cancellationToken);
}

/// <summary>The stored columns that hold sealed secrets.</summary>
public enum SealedColumn
{
    DeviceRootKeys,
    DeviceClaimCode,
    SessionAppSKey,
    NetworkKek,
    ApplicationServerKek,
}

/// <summary>
/// One sealed value as stored: <see cref="Key"/> names its row (and is the paging cursor), <see cref="Text"/> is its
/// storage text, <see cref="Binding"/> the row it is bound to.
/// </summary>
public sealed record SealedCell(SealedColumn Column, string Key, string Text, Custody.SecretBinding Binding);

/// <summary>A new storage text for the row <see cref="Key"/>, written only while it still holds <see cref="Old"/>.</summary>
public sealed record SealedReplacement(string Key, string Old, string New);
