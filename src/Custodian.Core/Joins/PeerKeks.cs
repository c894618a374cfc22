using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<(PeerKek Kek, SecretBinding Binding), KeyEncryptionKey> _open = new();

    public KeyEncryptionKey? Open(PeerKek? sealedKek, SecretBinding binding)
    {
        if (sealedKek is null)
        {
            return null;
        }
        if (_open.TryGetValue((sealedKek, binding), out var kek))
        {
            return kek;
        }
        if (_open.Count >= MaxEntries)
        {
            _open.Clear();
        }
        return _open.GetOrAdd((sealedKek, binding), keyRing.OpenPeerKek(sealedKek, binding));
    }
}
