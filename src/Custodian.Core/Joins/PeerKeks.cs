using Custodian.Core.Caching;
using Custodian.Core.Custody;

namespace Custodian.Core.Joins;

/// <summary>
/// Opens the peers' stored KEKs (sealed under ours) and keeps them open: every join wraps keys under
/// one, and unsealing costs a decryption and two allocations. Keyed by the sealed record and the row it is bound to,
/// so a peer that registers a new KEK under the same label gets the new one, and a copied seal is never served from memory.
/// </summary>
public sealed class PeerKeks(KeyRing keyRing)
{
    // Peers are registered by an operator: a few hundred at most. The bound only stops unbounded growth.
    private const int MaxEntries = 4096;
    private readonly BoundedCache<(PeerKek Kek, SecretBinding Binding), KeyEncryptionKey> _open = new(MaxEntries);

    public KeyEncryptionKey? Open(PeerKek? sealedKek, SecretBinding binding)
    {
        if (sealedKek is null)
        {
            return null;
        }
        if (!_open.TryGet((sealedKek, binding), out var kek))
        {
            kek = keyRing.OpenPeerKek(sealedKek, binding);
            _open.Set((sealedKek, binding), kek);
        }
        return kek;
    }
}
