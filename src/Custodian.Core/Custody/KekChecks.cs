using System.Security.Cryptography;
using System.Text;
using Custodian.Core.Storage;

namespace Custodian.Core.Custody;

/// <summary>
/// Keeps the database and the configured KEKs in step: the database holds, per KEK label, a constant sealed under
/// that label's KEK. At start every stored label must be configured and open its check value, so an instance
/// whose KEK under a label differs, or that lacks a label still in use, refuses to start instead of failing joins later.
/// Labels configured but not yet stored get their check value.
/// </summary>
public static class KekChecks
{
    private static readonly byte[] Constant = Encoding.ASCII.GetBytes("Custodian KEK check v1");

    public static async Task VerifyAsync(KeyRing ring, IStoreMaintenance store, CancellationToken cancellationToken)
    {
        var stored = await store.ReadKekChecksAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (label, check) in stored)
        {
            Verify(ring, label, check);
        }
        foreach (var label in ring.Labels.Where(label => !stored.ContainsKey(label)))
        {
            if (!await store.AddKekCheckAsync(label, ring.SealUnder(label, Constant, SecretBinding.KekCheck(label)).ToStorageText(), cancellationToken).ConfigureAwait(false))
            {
                // Another instance stored it first: it must be the same key.
                var again = await store.ReadKekChecksAsync(cancellationToken).ConfigureAwait(false);
                Verify(ring, label, again[label]);
            }
        }
    }

    private static void Verify(KeyRing ring, string label, string check)
    {
        if (!ring.HasLabel(label))
        {
            throw new InvalidOperationException(
                $"The database has secrets sealed under KEK label '{label}', which the configured KEKs lack. Configure it again; "
                + "to retire a label, run a rewrap (POST /api/v1/kek/rewrap or 'custodian admin kek rewrap') before removing it.");
        }
        var opened = SealedSecret.TryParseStorageText(check, out var sealedCheck) && ring.TryOpen(sealedCheck, SecretBinding.KekCheck(label), out var value, out _)
            && CryptographicOperations.FixedTimeEquals(value, Constant);
        if (!opened)
        {
            throw new InvalidOperationException(
                $"The configured KEK under label '{label}' is not the one this database's secrets are sealed under. Configure the original key for '{label}'.");
        }
    }
}
