namespace Custodian.Core.Errors;

/// <summary>The error catalogue. Codes are stable API: a test checks they are unique.</summary>
public static class CustodianErrors
{
    public static readonly CustodianError InvalidRequest = new("invalid_request", ErrorCategory.InvalidArgument, "The request is not valid.");
    public static readonly CustodianError InvalidField = new("invalid_field", ErrorCategory.InvalidArgument, "A field is not valid.");
    public static readonly CustodianError Unauthenticated = new("unauthenticated", ErrorCategory.Unauthenticated, "No valid API key was presented.");
    public static readonly CustodianError MissingRight = new("missing_right", ErrorCategory.PermissionDenied, "The API key lacks a right this call needs.");
    public static readonly CustodianError TenantNotFound = new("tenant_not_found", ErrorCategory.NotFound, "No such tenant.");
    public static readonly CustodianError TenantExists = new("tenant_exists", ErrorCategory.AlreadyExists, "A tenant with this id exists.");
    public static readonly CustodianError ApiKeyNotFound = new("api_key_not_found", ErrorCategory.NotFound, "The tenant has no such API key.");
    public static readonly CustodianError LastAdminKey = new("last_admin_key", ErrorCategory.Conflict, "The last API key with the admin right cannot be revoked.");
    public static readonly CustodianError ApiKeyCertificateExists = new("api_key_certificate_exists", ErrorCategory.AlreadyExists, "Another API key has this client certificate.");
    public static readonly CustodianError NetworkExists = new("network_exists", ErrorCategory.AlreadyExists, "A network with this NetID and NSID exists.");
    public static readonly CustodianError NetworkNotFound = new("network_not_found", ErrorCategory.NotFound, "No such network is registered.");
    public static readonly CustodianError ApplicationServerExists = new("application_server_exists", ErrorCategory.AlreadyExists, "An application server with this AS-ID exists.");
    public static readonly CustodianError ApplicationServerNotFound = new("application_server_not_found", ErrorCategory.NotFound, "No such application server is registered.");
    public static readonly CustodianError DeviceExists = new("device_exists", ErrorCategory.AlreadyExists, "A device with this DevEUI exists.");
    public static readonly CustodianError DevEuiOutsideBlocks = new("dev_eui_outside_blocks", ErrorCategory.PermissionDenied, "The DevEUI is outside the blocks this maker may provision.");
    public static readonly CustodianError DevEuiBlockTaken = new("dev_eui_block_taken", ErrorCategory.Conflict, "A DevEUI block overlaps another tenant's block.");
    public static readonly CustodianError ImportRunning = new("import_running", ErrorCategory.Conflict, "An import of this API key is still running.");
    public static readonly CustodianError DeviceOwned = new("device_owned", ErrorCategory.Conflict, "The device is owned; only its owner can hand over a new claim code.");
    public static readonly CustodianError NotDeviceOwner = new("not_device_owner", ErrorCategory.PermissionDenied, "Only the device's owner may do this.");
    public static readonly CustodianError DeviceNotFound = new("device_not_found", ErrorCategory.NotFound, "No such device, or not yours.");
    public static readonly CustodianError ClaimRefused = new("claim_refused", ErrorCategory.PermissionDenied, "No device with these EUIs accepts this claim code.");
    public static readonly CustodianError ClaimCodeNotValidNow = new("claim_code_not_valid_now", ErrorCategory.PermissionDenied, "The claim code is outside its validity window.");
    public static readonly CustodianError DeviceClaimed = new("device_claimed", ErrorCategory.Conflict, "The device is claimed by another owner.");
    public static readonly CustodianError ClaimLocked = new("claim_locked", ErrorCategory.ResourceExhausted, "Too many wrong claim codes for this device; retry later.");
    public static readonly CustodianError RateLimited = new("rate_limited", ErrorCategory.ResourceExhausted, "Too many requests; retry later.");
    public static readonly CustodianError ClaimingNotSupported = new("claiming_not_supported", ErrorCategory.NotFound, "No Join Server claims devices of this JoinEUI.");
    public static readonly CustodianError JoinServerUnavailable = new("join_server_unavailable", ErrorCategory.Unavailable, "The Join Server that holds the device did not answer as expected.");
    public static readonly CustodianError StorageUnavailable = new("storage_unavailable", ErrorCategory.Unavailable, "The store is not reachable; retry.");
    public static readonly CustodianError Internal = new("internal", ErrorCategory.Internal, "An internal error occurred.");

    /// <summary>Every entry, for the uniqueness test and the documentation.</summary>
    public static IReadOnlyList<CustodianError> All { get; } =
        [.. typeof(CustodianErrors).GetFields().Where(f => f.FieldType == typeof(CustodianError)).Select(f => (CustodianError)f.GetValue(null)!)];
}
