using Custodian.Core.Caching;
using Custodian.Core.Custody;

namespace Custodian.Core.Joins;

/// <summary>
/// Opens the peers' stored KEKs (sealed under ours) and keeps them open: every join wraps keys under
/// one, and unsealing costs an unwrap and two allocations. Keyed by the sealed record itself, so a
/// peer that registers a new KEK under the same label gets the new one.
/// </summary>
public sealed class PeerKeks(KeyRing keyRing)
{
    // Peers are registered by an operator: a few hundred at most. The bound only stops unbounded growth.
    private const int MaxEntries = 4096;
    private readonly BoundedCache<PeerKek, KeyEncryptionKey> _open = new(MaxEntries);

    public KeyEncryptionKey? Open(PeerKek? sealedKek)
    {
        if (sealedKek is null)
        {
            return null;
        }
        if (!_open.TryGet(sealedKek, out var kek))
        {
            kek = keyRing.OpenPeerKek(sealedKek);
            _open.Set(sealedKek, kek);
        }
        return kek;
    }
}
