using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Custodian.Core.Custody;
using Custodian.Core.Errors;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Auth;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// <c>/api/v1/networks</c> and <c>/api/v1/application-servers</c> (admin only): the peers that may use
/// Backend Interfaces. Each gets a bearer token, shown once; a KEK is sealed under ours; a client certificate
/// is kept as the SHA-256 of its DER bytes.
/// </summary>
internal static class PeersApi
{
    public const int MaxNameLength = 100;
    public const int MaxPeerKekLabelLength = 64;

    public static void MapPeersApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/networks", CreateNetworkAsync).RequireRight(ApiRights.Admin);
        api.MapPost("/application-servers", CreateApplicationServerAsync).RequireRight(ApiRights.Admin);
        api.MapGet("/networks", ListNetworksAsync).RequireRight(ApiRights.Admin);
        api.MapGet("/application-servers", ListApplicationServersAsync).RequireRight(ApiRights.Admin);
        api.MapPeerCredentialsApi(); // rotate, replace the certificate, remove: see Api/PeerCredentialsApi.cs
    }

    public sealed record KekRequest(string? Label, string? Key);

    /// <summary><c>appSKeyMode</c>: <c>join-server</c> (the default), <c>network</c> or <c>network-clear</c> (<see cref="Core.Peers.AppSKeyMode"/>).</summary>
    public sealed record CreateNetworkRequest(string? NetId, string? NsId, string? Name, KekRequest? Kek, string? ClientCertificate, string? AppSKeyMode = null);

    public sealed record NetworkResponse(string NetId, string? NsId, string? Name, string? KekLabel, string Token, string AppSKeyMode);

    public sealed record CreateApplicationServerRequest(string? AsId, KekRequest? Kek, string? ClientCertificate);

    public sealed record ApplicationServerResponse(string AsId, string? KekLabel, string Token);

    /// <summary>A network as listed: never its token (hash) or KEK, only the KEK's label and the certificate's SHA-256 (hex).</summary>
    public sealed record NetworkItem(string NetId, string? NsId, string? Name, string? KekLabel, string? CertificateThumbprint, DateTimeOffset CreatedAt, string AppSKeyMode)
    {
        public static NetworkItem Of(Network network) => new(
            network.NetId.ToString(), network.NsId, network.Name, network.Kek?.Label, Hex(network.CertificateThumbprint), network.CreatedAt, network.AppSKeyMode.ToText());
    }

    public sealed record NetworkListResponse(IReadOnlyList<NetworkItem> Networks);

    /// <summary>An application server as listed, as <see cref="NetworkItem"/>.</summary>
    public sealed record ApplicationServerItem(string AsId, string? KekLabel, string? CertificateThumbprint, DateTimeOffset CreatedAt)
    {
        public static ApplicationServerItem Of(ApplicationServer server) =>
            new(server.AsId, server.Kek?.Label, Hex(server.CertificateThumbprint), server.CreatedAt);
    }

    public sealed record ApplicationServerListResponse(IReadOnlyList<ApplicationServerItem> ApplicationServers);

    /// <summary>A certificate thumbprint as the API shows it: uppercase hex.</summary>
    internal static string? Hex(ReadOnlyMemory<byte>? thumbprint) => thumbprint is { } print ? Convert.ToHexString(print.Span) : null;

    private static async Task<IResult> ListNetworksAsync(ICustodianStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new NetworkListResponse([.. (await store.ListNetworksAsync(cancellationToken)).Select(NetworkItem.Of)]));

    private static async Task<IResult> ListApplicationServersAsync(ICustodianStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ApplicationServerListResponse([.. (await store.ListApplicationServersAsync(cancellationToken)).Select(ApplicationServerItem.Of)]));

    private static async Task<IResult> CreateNetworkAsync(
        HttpRequest request, JsonBody json, ICustodianStore store, KeyRing keyRing, TimeProvider time, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<CreateNetworkRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (!NetId.TryParse(body.NetId, out var netId, out var error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "netId: " + (body.NetId is null ? "required." : error));
        }
        string? nsId = null;
        if (body.NsId is not null && !PeerIdentifiers.TryParseNsId(body.NsId, out nsId, out error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "nsId: " + error);
        }
        if (body.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, $"name: 1 to {MaxNameLength} characters when given.");
        }
        var appSKeyMode = AppSKeyMode.JoinServer;
        if (body.AppSKeyMode is not null && !AppSKeyModes.TryParse(body.AppSKeyMode, out appSKeyMode, out error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "appSKeyMode: " + error);
        }
        if (!TryReadCredentials(body.Kek, body.ClientCertificate, keyRing, SecretBinding.Network(netId, nsId), time.GetUtcNow(), out var credentials, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var network = new Network(netId, nsId, body.Name?.Trim(), credentials.Kek, credentials.TokenHash, credentials.CertificateThumbprint, time.GetUtcNow())
        {
            AppSKeyMode = appSKeyMode,
        };
        if (!await store.CreateNetworkAsync(network, request.HttpContext.RequestAborted))
        {
            var which = nsId is null ? $"NetID {netId} without NSID" : $"NetID {netId} and NSID {nsId}";
            return CustodianProblems.Result(CustodianErrors.NetworkExists, $"A network with {which} is registered.");
        }
        ServerLog.NetworkRegistered(logger, netId.ToString(), nsId ?? "none", credentials.Kek?.Label ?? "none", credentials.Thumbprint is not null);
        return TypedResults.Created(
            $"/api/v1/networks/{netId}",
            new NetworkResponse(netId.ToString(), nsId, network.Name, credentials.Kek?.Label, credentials.Token, appSKeyMode.ToText()));
    }

    private static async Task<IResult> CreateApplicationServerAsync(
        HttpRequest request, JsonBody json, ICustodianStore store, KeyRing keyRing, TimeProvider time, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<CreateApplicationServerRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (body.AsId is null)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "asId: required.");
        }
        if (!PeerIdentifiers.TryParseAsId(body.AsId, out var asId, out var error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "asId: " + error);
        }
        if (!TryReadCredentials(body.Kek, body.ClientCertificate, keyRing, SecretBinding.ApplicationServer(asId), time.GetUtcNow(), out var credentials, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var server = new ApplicationServer(asId, credentials.Kek, credentials.TokenHash, credentials.CertificateThumbprint, time.GetUtcNow());
        if (!await store.CreateApplicationServerAsync(server, request.HttpContext.RequestAborted))
        {
            return CustodianProblems.Result(CustodianErrors.ApplicationServerExists, $"An application server '{asId}' is registered.");
        }
        ServerLog.ApplicationServerRegistered(logger, asId, credentials.Kek?.Label ?? "none", credentials.Thumbprint is not null);
        return TypedResults.Created(
            $"/api/v1/application-servers/{Uri.EscapeDataString(asId)}",
            new ApplicationServerResponse(asId, credentials.Kek?.Label, credentials.Token));
    }

    private sealed record Credentials(string Token, byte[] TokenHash, PeerKek? Kek, byte[]? Thumbprint)
    {
        // byte[] (and even a bare null) converts to ReadOnlyMemory<byte> implicitly: without the cast, "no certificate" would become an empty, non-null thumbprint.
        public ReadOnlyMemory<byte>? CertificateThumbprint => Thumbprint is { } print ? print : (ReadOnlyMemory<byte>?)null;
    }

    private static bool TryReadCredentials(
        KekRequest? kek, string? certificatePem, KeyRing keyRing, SecretBinding binding, DateTimeOffset now,
        [NotNullWhen(true)] out Credentials? credentials, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        credentials = null;
        PeerKek? sealedKek = null;
        if (kek is not null && !TryReadKek(kek, keyRing, binding, out sealedKek, out failure))
        {
            return false;
        }
        byte[]? thumbprint = null;
        if (certificatePem is not null && !TryReadCertificate(certificatePem, now, out thumbprint, out failure))
        {
            return false;
        }
        var token = SecretToken.Generate(SecretToken.PeerTokenPrefix);
        credentials = new Credentials(token, SecretToken.Hash(token), sealedKek, thumbprint);
        failure = null;
        return true;
    }

    private static bool TryReadKek(KekRequest kek, KeyRing keyRing, SecretBinding binding, [NotNullWhen(true)] out PeerKek? sealedKek, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        sealedKek = null;
        // The label travels in Backend Interfaces messages (KEKLabel): visible ASCII only.
        if (string.IsNullOrEmpty(kek.Label) || kek.Label.Length > MaxPeerKekLabelLength || kek.Label.Any(c => c is < '!' or > '~'))
        {
            failure = CustodianErrors.InvalidField.With($"kek.label: 1 to {MaxPeerKekLabelLength} visible ASCII characters.");
            return false;
        }
        var hex = kek.Key?.Trim() ?? "";
        if (hex.Length is not (32 or 48 or 64) || !hex.All(Uri.IsHexDigit))
        {
            failure = CustodianErrors.InvalidField.With($"kek.key: 16, 24 or 32 bytes as 32, 48 or 64 hex digits, got {hex.Length} characters{(hex.All(Uri.IsHexDigit) ? "" : " with a non-hex one")}.");
            return false;
        }
        var bytes = Convert.FromHexString(hex);
        var peerKek = new KeyEncryptionKey(kek.Label, bytes);
        CryptographicOperations.ZeroMemory(bytes);
        sealedKek = keyRing.SealPeerKek(peerKek, binding);
        peerKek.Clear();
        failure = null;
        return true;
    }

    /// <summary>
    /// The SHA-256 of the certificate's DER bytes: what the TLS handshake presents is compared with it. A certificate
    /// outside its validity dates at <paramref name="now"/> is refused: the handshake would refuse it too.
    /// </summary>
    internal static bool TryReadCertificate(string pem, DateTimeOffset now, [NotNullWhen(true)] out byte[]? thumbprint, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        thumbprint = null;
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not "CERTIFICATE")
        {
            failure = CustodianErrors.InvalidField.With("clientCertificate: expected one PEM certificate ('-----BEGIN CERTIFICATE-----').");
            return false;
        }
        try
        {
            var der = Convert.FromBase64String(pem[fields.Base64Data]);
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            if (CertificateValidity.Refusal(certificate, now) is { } refusal)
            {
                failure = CustodianErrors.InvalidField.With("clientCertificate: " + refusal);
                return false;
            }
            thumbprint = SHA256.HashData(certificate.RawData);
            failure = null;
            return true;
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            failure = CustodianErrors.InvalidField.With("clientCertificate: the PEM block is not an X.509 certificate.");
            return false;
        }
    }
}
