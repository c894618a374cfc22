using System.Security.Cryptography;
using Custodian.Core.Storage;

namespace Custodian.Core.Custody;

/// <summary>
/// Re-seals every stored secret (root keys, claim codes, session keys, peers' KEKs) under the current KEK, bound to
/// its row (older unbound seals are migrated even when already under the current label), in
/// batches: each batch is one short transaction, so joins are answered between them. A cell changed meanwhile is
/// left as it is (whatever wrote it sealed under the current KEK). When nothing failed, the check values of the
/// other labels are removed: those labels may then leave the key file.
/// </summary>
public sealed class SecretRewrapper(KeyRing ring, IStoreMaintenance store)
{
    public const int DefaultBatchSize = 500;

    /// <summary>How many failed cells the report names (the counts go on beyond).</summary>
    public const int MaxNamedFailures = 100;

    public async Task<RewrapReport> RewrapAsync(int batchSize, CancellationToken cancellationToken)
    {
        var labels = new SortedDictionary<string, LabelCounts>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var column in Enum.GetValues<SealedColumn>())
        {
            string? after = null;
            while (true)
            {
                var cells = await store.ReadSealedAsync(column, after, batchSize, cancellationToken).ConfigureAwait(false);
                if (cells.Count == 0)
                {
                    break;
                }
                var replacements = Reseal(cells, labels, failures);
                if (replacements.Count > 0)
                {
                    await store.ReplaceSealedAsync(column, replacements, cancellationToken).ConfigureAwait(false);
                }
                after = cells[^1].Key;
            }
        }
        var failed = labels.Values.Sum(c => c.Failed);
        var retired = failed == 0 ? await RetireAsync(cancellationToken).ConfigureAwait(false) : [];
        return new RewrapReport(ring.CurrentLabel, labels, labels.Values.Sum(c => c.Rewrapped), failed, retired, failures);
    }

    private List<SealedReplacement> Reseal(IReadOnlyList<SealedCell> cells, SortedDictionary<string, LabelCounts> labels, List<string> failures)
    {
        var replacements = new List<SealedReplacement>(cells.Count);
        foreach (var cell in cells)
        {
            if (!SealedSecret.TryParseStorageText(cell.Text, out var sealedSecret))
            {
                Count(labels, "?").Failed++;
                NameFailure(failures, cell);
                continue;
            }
            var counts = Count(labels, sealedSecret.KekLabel);
            counts.Sealed++;
            if (sealedSecret.KekLabel == ring.CurrentLabel && sealedSecret.Format == SealFormat.Aead)
            {
                continue;
            }
            if (!ring.TryOpen(sealedSecret, cell.Binding, out var secret, out _))
            {
                counts.Failed++;
                NameFailure(failures, cell);
                continue;
            }
            replacements.Add(new SealedReplacement(cell.Key, cell.Text, ring.Seal(secret, cell.Binding).ToStorageText()));
            CryptographicOperations.ZeroMemory(secret);
            counts.Rewrapped++;
        }
        return replacements;
    }

    private async Task<IReadOnlyList<string>> RetireAsync(CancellationToken cancellationToken)
    {
        var checks = await store.ReadKekChecksAsync(cancellationToken).ConfigureAwait(false);
        var retired = checks.Keys.Where(label => label != ring.CurrentLabel).Order(StringComparer.Ordinal).ToList();
        if (retired.Count > 0)
        {
            await store.RemoveKekChecksAsync(retired, cancellationToken).ConfigureAwait(false);
        }
        return retired;
    }

    /// <summary>The row, never the value: the operator looks at it (a tampered or foreign row, a missing label).</summary>
    private static void NameFailure(List<string> failures, SealedCell cell)
    {
        if (failures.Count < MaxNamedFailures)
        {
            failures.Add(cell.Binding.Text);
        }
    }

    private static LabelCounts Count(SortedDictionary<string, LabelCounts> labels, string label)
    {
        if (!labels.TryGetValue(label, out var counts))
        {
            labels[label] = counts = new LabelCounts();
        }
        return counts;
    }
}

/// <summary>Per label (as found before the rewrap): how many secrets were sealed under it, re-sealed, and failed to open.</summary>
public sealed class LabelCounts
{
    public long Sealed { get; set; }

    public long Rewrapped { get; set; }

    public long Failed { get; set; }
}

/// <summary>
/// What a rewrap did. <see cref="RetiredLabels"/>: labels whose check value was removed (they may leave the key file);
/// <see cref="FailedRows"/>: the first rows (table|column|row) whose secret did not open.
/// </summary>
public sealed record RewrapReport(
    string CurrentLabel, IReadOnlyDictionary<string, LabelCounts> Labels, long Rewrapped, long Failed, IReadOnlyList<string> RetiredLabels,
    IReadOnlyList<string> FailedRows);
