using Custodian.Core.Errors;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.BackendInterfaces;
using Custodian.Server.Logging;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// The peers' credentials after registration (admin only): rotate a bearer token (the new one is shown once, the old
/// one refused from the next request on this instance and within <see cref="PeerAuthenticator.CacheFor"/> on the
/// others), replace or drop the client certificate, remove the peer. A network with an NSID is named by
/// <c>?nsId=</c>; without it, the network registered without an NSID.
/// </summary>
internal static class PeerCredentialsApi
{
    /// <summary><c>{clientCertificate}</c>: one PEM certificate, or null to authenticate by bearer token only.</summary>
    public sealed record CertificateRequest(string? ClientCertificate);

    public static void MapPeerCredentialsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/networks/{netId}/token", RotateNetworkTokenAsync).RequireRight(ApiRights.Admin);
        api.MapPut("/networks/{netId}/certificate", SetNetworkCertificateAsync).RequireRight(ApiRights.Admin);
        api.MapDelete("/networks/{netId}", RemoveNetworkAsync).RequireRight(ApiRights.Admin);
        api.MapPost("/application-servers/{asId}/token", RotateApplicationServerTokenAsync).RequireRight(ApiRights.Admin);
        api.MapPut("/application-servers/{asId}/certificate", SetApplicationServerCertificateAsync).RequireRight(ApiRights.Admin);
        api.MapDelete("/application-servers/{asId}", RemoveApplicationServerAsync).RequireRight(ApiRights.Admin);
    }

    private static async Task<IResult> RotateNetworkTokenAsync(
        string netId, string? nsId, HttpContext context, ICustodianStore store, PeerAuthenticator authenticator, ILogger<RestApi> logger)
    {
        var (network, failure) = await FindNetworkAsync(netId, nsId, store, context.RequestAborted);
        if (network is null)
        {
            return failure!;
        }
        var token = SecretToken.Generate(SecretToken.PeerTokenPrefix);
        if (!await store.UpdateNetworkCredentialsAsync(network with { TokenHash = SecretToken.Hash(token) }, context.RequestAborted))
        {
            return NetworkNotFound(network.NetId, network.NsId);
        }
        authenticator.Forget();
        PeerCredentialsLog.NetworkTokenRotated(logger, network.NetId.ToString(), network.NsId ?? "none");
        return TypedResults.Ok(new PeersApi.NetworkResponse(network.NetId.ToString(), network.NsId, network.Name, network.Kek?.Label, token, network.AppSKeyMode.ToText()));
    }

    private static async Task<IResult> SetNetworkCertificateAsync(
        string netId, string? nsId, HttpRequest request, JsonBody json, ICustodianStore store, PeerAuthenticator authenticator,
        TimeProvider time, ILogger<RestApi> logger)
    {
        var (body, bodyFailure) = await json.ReadAsync<CertificateRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(bodyFailure!);
        }
        if (!TryReadThumbprint(body, time, out var thumbprint, out var certificateFailure))
        {
            return CustodianProblems.Result(certificateFailure);
        }
        var (network, failure) = await FindNetworkAsync(netId, nsId, store, request.HttpContext.RequestAborted);
        if (network is null)
        {
            return failure!;
        }
        var updated = network with { CertificateThumbprint = thumbprint };
        if (!await store.UpdateNetworkCredentialsAsync(updated, request.HttpContext.RequestAborted))
        {
            return NetworkNotFound(network.NetId, network.NsId);
        }
        authenticator.Forget();
        PeerCredentialsLog.NetworkCertificateChanged(logger, network.NetId.ToString(), network.NsId ?? "none", thumbprint is null ? "removed" : "replaced");
        return TypedResults.Ok(PeersApi.NetworkItem.Of(updated));
    }

    private static async Task<IResult> RemoveNetworkAsync(
        string netId, string? nsId, HttpContext context, ICustodianStore store, PeerAuthenticator authenticator, ILogger<RestApi> logger)
    {
        var (network, failure) = await FindNetworkAsync(netId, nsId, store, context.RequestAborted);
        if (network is null)
        {
            return failure!;
        }
        if (!await store.DeleteNetworkAsync(network.NetId, network.NsId, context.RequestAborted))
        {
            return NetworkNotFound(network.NetId, network.NsId);
        }
        authenticator.Forget();
        PeerCredentialsLog.NetworkRemoved(logger, network.NetId.ToString(), network.NsId ?? "none");
        return TypedResults.NoContent();
    }

    private static async Task<IResult> RotateApplicationServerTokenAsync(
        string asId, HttpContext context, ICustodianStore store, PeerAuthenticator authenticator, ILogger<RestApi> logger)
    {
        var (server, failure) = await FindApplicationServerAsync(asId, store, context.RequestAborted);
        if (server is null)
        {
            return failure!;
        }
        var token = SecretToken.Generate(SecretToken.PeerTokenPrefix);
        if (!await store.UpdateApplicationServerCredentialsAsync(server with { TokenHash = SecretToken.Hash(token) }, context.RequestAborted))
        {
            return ApplicationServerNotFound(server.AsId);
        }
        authenticator.Forget();
        PeerCredentialsLog.ApplicationServerTokenRotated(logger, server.AsId);
        return TypedResults.Ok(new PeersApi.ApplicationServerResponse(server.AsId, server.Kek?.Label, token));
    }

    private static async Task<IResult> SetApplicationServerCertificateAsync(
        string asId, HttpRequest request, JsonBody json, ICustodianStore store, PeerAuthenticator authenticator,
        TimeProvider time, ILogger<RestApi> logger)
    {
        var (body, bodyFailure) = await json.ReadAsync<CertificateRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(bodyFailure!);
        }
        if (!TryReadThumbprint(body, time, out var thumbprint, out var certificateFailure))
        {
            return CustodianProblems.Result(certificateFailure);
        }
        var (server, failure) = await FindApplicationServerAsync(asId, store, request.HttpContext.RequestAborted);
        if (server is null)
        {
            return failure!;
        }
        var updated = server with { CertificateThumbprint = thumbprint };
        if (!await store.UpdateApplicationServerCredentialsAsync(updated, request.HttpContext.RequestAborted))
        {
            return ApplicationServerNotFound(server.AsId);
        }
        authenticator.Forget();
        PeerCredentialsLog.ApplicationServerCertificateChanged(logger, server.AsId, thumbprint is null ? "removed" : "replaced");
        return TypedResults.Ok(PeersApi.ApplicationServerItem.Of(updated));
    }

    private static async Task<IResult> RemoveApplicationServerAsync(
        string asId, HttpContext context, ICustodianStore store, PeerAuthenticator authenticator, ILogger<RestApi> logger)
    {
        var (server, failure) = await FindApplicationServerAsync(asId, store, context.RequestAborted);
        if (server is null)
        {
            return failure!;
        }
        if (!await store.DeleteApplicationServerAsync(server.AsId, context.RequestAborted))
        {
            return ApplicationServerNotFound(server.AsId);
        }
        authenticator.Forget();
        PeerCredentialsLog.ApplicationServerRemoved(logger, server.AsId);
        return TypedResults.NoContent();
    }

    private static bool TryReadThumbprint(
        CertificateRequest body, TimeProvider time, out ReadOnlyMemory<byte>? thumbprint,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out CustodianFailure? failure)
    {
        thumbprint = null;
        failure = null;
        if (body.ClientCertificate is null)
        {
            return true; // no certificate: the peer authenticates by its bearer token only
        }
        if (!PeersApi.TryReadCertificate(body.ClientCertificate, time.GetUtcNow(), out var bytes, out failure))
        {
            return false;
        }
        thumbprint = bytes;
        return true;
    }

    private static async Task<(Network? Network, IResult? Failure)> FindNetworkAsync(
        string netIdText, string? nsIdText, ICustodianStore store, CancellationToken cancellationToken)
    {
        if (!NetId.TryParse(netIdText, out var netId, out var error))
        {
            return (null, CustodianProblems.Result(CustodianErrors.InvalidField, "netId: " + error));
        }
        string? nsId = null;
        if (nsIdText is not null && !PeerIdentifiers.TryParseNsId(nsIdText, out nsId, out error))
        {
            return (null, CustodianProblems.Result(CustodianErrors.InvalidField, "nsId: " + error));
        }
        return await store.GetNetworkAsync(netId, nsId, cancellationToken) is { } network
            ? (network, null)
            : (null, NetworkNotFound(netId, nsId));
    }

    private static async Task<(ApplicationServer? Server, IResult? Failure)> FindApplicationServerAsync(
        string asIdText, ICustodianStore store, CancellationToken cancellationToken)
    {
        if (!PeerIdentifiers.TryParseAsId(asIdText, out var asId, out var error))
        {
            return (null, CustodianProblems.Result(CustodianErrors.InvalidField, "asId: " + error));
        }
        return await store.GetApplicationServerAsync(asId, cancellationToken) is { } server
            ? (server, null)
            : (null, ApplicationServerNotFound(asId));
    }

    private static IResult NetworkNotFound(NetId netId, string? nsId) =>
        CustodianProblems.Result(CustodianErrors.NetworkNotFound, nsId is null
            ? $"No network {netId} without NSID is registered (give ?nsId= for one with an NSID)."
            : $"No network {netId} with NSID {nsId} is registered.");

    private static IResult ApplicationServerNotFound(string asId) =>
        CustodianProblems.Result(CustodianErrors.ApplicationServerNotFound, $"No application server '{asId}' is registered.");
}
