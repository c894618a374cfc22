using System.Security.Cryptography;
using Custodian.BackendInterfaces;
using Custodian.Core.Caching;
using Custodian.Core.Joins;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Microsoft.Net.Http.Headers;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// Finds the peer a request's credential belongs to: <c>Authorization: Bearer &lt;token&gt;</c> (its SHA-256),
/// else the TLS client certificate (the SHA-256 of its DER bytes, as registered). Networks answer
/// JoinReq, RejoinReq and HomeNSReq; application servers AppSKeyReq. A found peer is remembered for
/// two seconds, so a burst of joins costs one credential query; an unknown credential is looked up every time,
/// so a peer registered a moment ago is known at once. A credential rotated or removed here is forgotten at once
/// (<see cref="Forget"/>); another instance on the same database stops accepting it when its memory runs out,
/// within <see cref="CacheFor"/>.
/// </summary>
public sealed class PeerAuthenticator(ICustodianStore store, TimeProvider time)
{
    private const string BearerPrefix = "Bearer ";
    private const int MaxEntries = 4096;
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly BoundedCache<CacheKey, BackendPeer> _known = new(MaxEntries, CacheFor, time);

    public async ValueTask<BackendPeer> AuthenticateAsync(HttpContext context, string messageType, CancellationToken cancellationToken)
    {
        if (Credential(context) is not { } credential)
        {
            return BackendPeer.None;
        }
        var wantsServer = messageType == MessageTypes.AppSKeyReq;
        var key = new CacheKey(credential.Kind, Convert.ToBase64String(credential.Hash.Span), wantsServer);
        if (_known.TryGet(key, out var known))
        {
            return known;
        }
        var peer = wantsServer
            ? await store.FindApplicationServerAsync(credential, cancellationToken).ConfigureAwait(false) is { } server ? BackendPeer.Of(server) : BackendPeer.None
            : await store.FindNetworkAsync(credential, cancellationToken).ConfigureAwait(false) is { } network ? BackendPeer.Of(network) : BackendPeer.None;
        if (peer != BackendPeer.None)
        {
            _known.Set(key, peer);
        }
        return peer;
    }

    /// <summary>Drops every remembered peer: called after a token or certificate is replaced or a peer removed.</summary>
    public void Forget() => _known.Clear();

    private static PeerCredential? Credential(HttpContext context)
    {
        var authorization = context.Request.Headers[HeaderNames.Authorization];
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = value.AsSpan(BearerPrefix.Length).Trim();
            return token.IsEmpty ? null : new PeerCredential(PeerCredentialKind.BearerToken, SecretToken.Hash(token.ToString()));
        }
        if (context.Connection.ClientCertificate is { } certificate)
        {
            return new PeerCredential(PeerCredentialKind.ClientCertificate, SHA256.HashData(certificate.RawData));
        }
        return null;
    }

    private readonly record struct CacheKey(PeerCredentialKind Kind, string Hash, bool ApplicationServer);
}
