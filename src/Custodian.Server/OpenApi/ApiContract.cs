using Custodian.Server.Api;
using Custodian.Server.Claims.Routing;
using Custodian.Server.DeviceRepository;
using Custodian.Server.Maintenance;
using Custodian.Server.WebConsole;
using Microsoft.AspNetCore.Mvc;

namespace Custodian.Server.OpenApi;

/// <summary>
/// Every route's entry in the published contract (<c>/openapi/v1.json</c>), in one table so that the document, the
/// test that every mapped route is in it, and the test that every call the CLI and the console make exists there
/// read the same list. Handlers read and write JSON themselves (precise errors for every field), so the bodies'
/// types are named here rather than inferred from the handlers' parameters.
/// </summary>
internal static class ApiContract
{
    private const string Json = "application/json";

    public static IReadOnlyList<ApiOperation> Operations { get; } =
    [
        // Liveness, metrics, the contract itself, the console.
        new("GET", "/healthz", "Liveness: answers while the server runs.") { Authenticated = false, Response = typeof(HealthStatus) },
        new("GET", "/metrics", "Prometheus metrics: joins by cause, join latency, claims, devices by state.") { Authenticated = false, ResponseMediaType = "text/plain" },
        new("GET", "/", "The web console (HTML).") { Authenticated = false, ResponseMediaType = "text/html" },

        new("GET", "/console/first-run", "Where the generated admin key file is, while it is there (the path, never the key), for the console's sign-in page.") { Authenticated = false, Response = typeof(FirstRunApi.FirstRunResponse) },
        new("GET", "/api/v1/me", "Who the caller is: tenant, API key and rights.") { Response = typeof(MeApi.MeResponse) },

        // Tenants and API keys (operator).
        new("POST", "/api/v1/tenants", "Create a tenant.") { Request = typeof(TenantsApi.CreateTenantRequest), SuccessStatus = 201, Response = typeof(TenantsApi.TenantResponse), Errors = [400, 409] },
        new("PATCH", "/api/v1/tenants/{id}", "Replace a maker tenant's DevEUI blocks (devEuiPrefixes, EUI/length); blocks of two tenants never overlap.") { Request = typeof(TenantBlocksApi.PatchTenantRequest), Response = typeof(TenantsApi.TenantResponse), Errors = [400, 404, 409] },
        new("GET", "/api/v1/tenants", "List tenants, paged by id.") { Response = typeof(TenantsApi.TenantListResponse), Errors = [400] },
        new("POST", "/api/v1/tenants/{id}/api-keys", "Create an API key for a tenant; the key is shown this once.") { Request = typeof(TenantsApi.CreateApiKeyRequest), SuccessStatus = 201, Response = typeof(TenantsApi.ApiKeyResponse), Errors = [400, 404, 409] },
        new("GET", "/api/v1/tenants/{id}/api-keys", "List a tenant's API keys (never the keys themselves).") { Response = typeof(TenantsApi.ApiKeyListResponse), Errors = [404] },
        new("PATCH", "/api/v1/tenants/{id}/api-keys/{keyId}", "Raise (or, with null, reset) one API key's limits: requests per minute and wrong claim codes per hour.") { Request = typeof(TenantsApi.ApiKeyPatchRequest), Response = typeof(TenantsApi.ApiKeyItem), Errors = [400, 404] },
        new("DELETE", "/api/v1/tenants/{id}/api-keys/{keyId}", "Revoke an API key, on every instance from the next request on.") { SuccessStatus = 204, Errors = [404, 409] },

        // Network and application servers (operator).
        new("POST", "/api/v1/networks", "Register a network server (NetID, optional NSID, KEK, client certificate); its token is shown this once.") { Request = typeof(PeersApi.CreateNetworkRequest), SuccessStatus = 201, Response = typeof(PeersApi.NetworkResponse), Errors = [400, 409] },
        new("GET", "/api/v1/networks", "List registered network servers.") { Response = typeof(PeersApi.NetworkListResponse) },
        new("POST", "/api/v1/application-servers", "Register an application server (AS-ID, KEK, client certificate); its token is shown this once.") { Request = typeof(PeersApi.CreateApplicationServerRequest), SuccessStatus = 201, Response = typeof(PeersApi.ApplicationServerResponse), Errors = [400, 409] },
        new("GET", "/api/v1/application-servers", "List registered application servers.") { Response = typeof(PeersApi.ApplicationServerListResponse) },
        new("POST", "/api/v1/networks/{netId}/token", "Rotate a network's token (?nsId= for an NSID network): the new one is shown once, the old one refused at once.") { Response = typeof(PeersApi.NetworkResponse), Errors = [400, 404] },
        new("PUT", "/api/v1/networks/{netId}/certificate", "Replace (or, with null, drop) a network's client certificate.") { Request = typeof(PeerCredentialsApi.CertificateRequest), Response = typeof(PeersApi.NetworkItem), Errors = [400, 404, 409] },
        new("DELETE", "/api/v1/networks/{netId}", "Remove a network (?nsId= for an NSID network): its token and certificate are refused from then on.") { SuccessStatus = 204, Errors = [400, 404] },
        new("POST", "/api/v1/application-servers/{asId}/token", "Rotate an application server's token: the new one is shown once, the old one refused at once.") { Response = typeof(PeersApi.ApplicationServerResponse), Errors = [400, 404] },
        new("PUT", "/api/v1/application-servers/{asId}/certificate", "Replace (or, with null, drop) an application server's client certificate.") { Request = typeof(PeerCredentialsApi.CertificateRequest), Response = typeof(PeersApi.ApplicationServerItem), Errors = [400, 404, 409] },
        new("DELETE", "/api/v1/application-servers/{asId}", "Remove an application server: its token and certificate are refused from then on.") { SuccessStatus = 204, Errors = [400, 404] },

        // Keys and data over a deployment's life (operator).
        new("POST", "/api/v1/kek/rewrap", "Re-seal every stored secret under the current KEK in batches (?batchSize=); counts per label, and the labels that may leave the key file.") { Response = typeof(MaintenanceApi.RewrapResponse), Errors = [400] },
        new("GET", "/api/v1/backup", "A consistent copy of the SQLite store, taken while the server runs (PostgreSQL: 400, use pg_dump).") { ResponseMediaType = "application/vnd.sqlite3", Errors = [400] },

        // Devices (makers).
        new("POST", "/api/v1/devices", "Provision a device; generated root keys and the claim code are shown this once.") { SuccessStatus = 201, Response = typeof(DeviceResponse), Errors = [400, 409, 429] },
        new("POST", "/api/v1/devices/batch", "Provision up to 10,000 devices, one result per item in order.") { Request = typeof(DevicesApi.BatchRequest), Response = typeof(DevicesApi.BatchResponse), Errors = [400, 429] },
        new("GET", "/api/v1/devices", "The caller's devices as maker, paged in DevEUI order.") { Response = typeof(DevicesApi.DeviceListResponse), Errors = [400] },
        new("GET", "/api/v1/devices/{devEui}", "A device as its maker or owner sees it (never its keys).") { Response = typeof(DeviceResponse), Errors = [400, 404] },
        new("POST", "/api/v1/devices/{devEui}/dev-nonces/reset", "Forget a device's used DevNonces (after a device reset); audited as security.dev_nonces_reset.") { Response = typeof(DeviceResponse), Errors = [400, 404] },
        new("POST", "/api/v1/devices/{devEui}/claim-code", "Issue a new claim code (shown once) for a device nobody owns; 409 while owned.") { Response = typeof(ClaimCodeApi.ClaimCodeResponse), Errors = [400, 404, 409] },
        new("GET", "/api/v1/devices/{devEui}/label.svg", "The device's TR005 QR label as SVG, while the maker holds it.") { ResponseMediaType = "image/svg+xml", Errors = [400, 404] },
        new("GET", "/api/v1/devices/{devEui}/label.png", "The device's TR005 QR label as a 300 dpi PNG, while the maker holds it.") { ResponseMediaType = "image/png", Errors = [400, 404] },

        // Claims (owners).
        new("POST", "/api/v1/claims", "Claim a device by QR text or JoinEUI, DevEUI and claim code, naming its home network.") { SuccessStatus = 201, Response = typeof(ClaimsApi.ClaimStatusResponse), Errors = [400, 403, 404, 409, 429] },
        new("POST", "/api/v1/claims/batch", "Claim up to 10,000 devices, one result per item in order.") { Response = typeof(ClaimsApi.ClaimBatchResponse), Errors = [400, 429] },
        new("POST", "/api/v1/claims/import", "Claim every row of a CSV or JSON claim file; progress and one result per row as NDJSON.") { RequestMediaType = "text/csv", ResponseMediaType = "application/x-ndjson", Errors = [400, 409, 413, 429] },
        new("GET", "/api/v1/claims", "The owner's claimed devices, paged.") { Response = typeof(ClaimsApi.ClaimListResponse), Errors = [400] },
        new("GET", "/api/v1/claims/{devEui}", "A device's claim status (owner only; others get 404).") { Response = typeof(ClaimsApi.ClaimStatusResponse), Errors = [400, 404] },
        new("DELETE", "/api/v1/claims/{devEui}", "Unclaim a device, optionally with a fresh claim code (newClaimCode=true), shown this once.") { Response = typeof(ClaimsApi.RotatedClaimCodeResponse), Errors = [400, 404, 429] },

        // Reading.
        new("GET", "/api/v1/events", "The tenant's audit events, newest first, paged.") { Response = typeof(EventsApi.EventsResponse), Errors = [400] },
        new("POST", "/api/v1/qr/parse", "Parse a TR005 QR text (and drafts, DevEUI-only) into its fields.") { Request = typeof(QrApi.ParseRequest), Response = typeof(QrApi.ParseResponse), Errors = [400] },
        new("GET", "/api/v1/join-euis/{joinEui}", "Whether devices of a JoinEUI can be claimed here, and which Join Server holds them.") { Response = typeof(JoinEuisApi.JoinEuiResponse), Errors = [400, 429] },

        // The LoRaWAN Device Repository (names of scanned devices).
        new("POST", "/api/v1/device-repository/reload", "Read the LoRaWAN Device Repository checkout again (after a git pull).") { Response = typeof(DeviceRepositoryApi.ReloadResponse) },
        new("GET", "/api/v1/device-repository/photos/{vendorId}/{vendorProfileId}", "The photo of a device model named by its TR005 VendorID and VendorProfileID.") { ResponseMediaType = "image/*", Errors = [400, 404] },

        // The Things Join Server v2 claim API.
        new("PUT", "/api/v2/devices/{devEui}/claim", "The Things Join Server v2: claim a device with its owner token.") { Request = typeof(V2ClaimRequest), Errors = [400, 403, 404, 429] },
        new("GET", "/api/v2/devices/{devEui}/claim", "The Things Join Server v2: the device's claim (home NetID, NSID, locked).") { Response = typeof(V2ClaimStatus), Errors = [400, 403, 404] },
        new("DELETE", "/api/v2/devices/{devEui}/claim", "The Things Join Server v2: unclaim a device.") { Response = typeof(V2OwnerToken), Errors = [400, 403, 404] },
        new("DELETE", "/api/v2/devices/{devEuis}/claims", "The Things Join Server v2: unclaim several devices (comma-separated DevEUIs).") { Errors = [400, 403] },

        // LoRaWAN Backend Interfaces (peers authenticate with their token or client certificate).
        new("POST", "/", "LoRaWAN Backend Interfaces at the root, where The Things Stack (paths unset) and ChirpStack (Join Server found by DNS) post: as POST /backend-interfaces.") { Request = typeof(object), Response = typeof(object), Errors = [400] },
        new("POST", "/backend-interfaces", "LoRaWAN Backend Interfaces 1.0/1.1: JoinReq, RejoinReq, AppSKeyReq, HomeNSReq; the answer's Result.ResultCode says how it went; 429 (unread) once an address has failed authentication too often.") { Request = typeof(object), Response = typeof(object), Errors = [400, 429] },
    ];

    private static readonly Dictionary<string, ApiOperation> ByKey = Operations.ToDictionary(operation => operation.Key);

    /// <summary>The entry for a route, or null when the table lacks it (the contract tests fail then).</summary>
    public static ApiOperation? Find(string method, string path) => ByKey.GetValueOrDefault(ApiOperation.KeyOf(method, path));

    /// <summary>The problem type a v1 error answers with; v2 routes answer <see cref="V2Error"/>.</summary>
    public static Type ErrorBody(string path) => path.StartsWith(V2ClaimApi.Prefix, StringComparison.Ordinal) ? typeof(V2Error) : typeof(ProblemDetails);

    public static string MediaType(string? mediaType) => mediaType ?? Json;
}
