using Custodian.Core.Caching;
using Custodian.Core.Custody;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>
/// The KEK each join wraps its AppSKey under: the device's application server's, looked up once per AS-ID
/// every few seconds rather than once per join. A registered application server's KEK never changes; one removed
/// and registered again under the same AS-ID with another KEK may get AppSKeys wrapped under the old one for up
/// to 10 seconds (on each instance): register the new one a little later, or keep the KEK.
/// </summary>
public sealed class ApplicationServerKeks(ICustodianStore store, PeerKeks peerKeks, TimeProvider time)
{
    // Operators register a few application servers; the bound only stops unbounded growth.
    private const int MaxEntries = 4096;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly BoundedCache<string, Known> _known = new(MaxEntries, CacheFor, time, StringComparer.Ordinal);

    /// <summary>Null when there is no AS, or it has no KEK (the AppSKey then travels in clear).</summary>
    public async ValueTask<KeyEncryptionKey?> GetAsync(string? asId, CancellationToken cancellationToken)
    {
        if (asId is null)
        {
            return null;
        }
        if (!_known.TryGet(asId, out var known))
        {
            var server = await store.GetApplicationServerAsync(asId, cancellationToken).ConfigureAwait(false);
            known = new Known(server?.Kek);
            _known.Set(asId, known);
        }
        return peerKeks.Open(known.Kek, SecretBinding.ApplicationServer(asId));
    }

    // A wrapper, so that "no AS or no KEK" is remembered too, not looked up on every join.
    private sealed record Known(PeerKek? Kek);
}
