using Custodian.Core.Custody;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>
/// The Join Server's side of Backend Interfaces: answers each request a network or application server
/// sends (JoinReq, RejoinReq, AppSKeyReq, HomeNSReq) for the peer its credential proved it to be.
/// Transport-free: the server parses the body, authenticates the peer and sends the answer.
/// </summary>
public sealed class JoinServer
{
    private readonly JoinRequestHandler _joins;
    private readonly RejoinHandler _rejoins;
    private readonly AppSKeyHandler _appSKeys;
    private readonly HomeNSHandler _homeNs;

    public JoinServer(ICustodianStore store, KeyRing keyRing, JoinServerOptions options, TimeProvider time)
    {
        var peerKeks = new PeerKeks(keyRing);
        _joins = new JoinRequestHandler(store, keyRing, peerKeks, options, time);
        _rejoins = new RejoinHandler(store, time);
        _appSKeys = new AppSKeyHandler(store, keyRing, peerKeks, time);
        _homeNs = new HomeNSHandler(store);
    }

    public Task<BackendAnswer> AnswerAsync(BackendInterfacesMessage request, BackendPeer peer, CancellationToken cancellationToken) => request switch
    {
        JoinReq join => _joins.AnswerAsync(join, peer, cancellationToken),
        RejoinReq rejoin => _rejoins.AnswerAsync(rejoin, peer, cancellationToken),
        AppSKeyReq appSKey => _appSKeys.AnswerAsync(appSKey, peer, cancellationToken),
        HomeNSReq homeNs => _homeNs.AnswerAsync(homeNs, peer, cancellationToken),
        _ => Task.FromResult(NotServed(request)),
    };

    /// <summary>An answer or notification sent to the Join Server (JoinAns, ErrorNotif, …): nothing to answer it with.</summary>
    private static BackendAnswer NotServed(BackendInterfacesMessage request) => BackendAnswer.Refusal(
        request,
        JoinErrors.MessageTypeNotServed,
        $"MessageType '{request.MessageType}' is not served by this Join Server; it serves JoinReq, RejoinReq, AppSKeyReq and HomeNSReq.",
        null);
}
