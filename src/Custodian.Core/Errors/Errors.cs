namespace Custodian.Core.Errors;

/// <summary>The error catalogue. Codes are stable API: a test checks they are unique.</summary>
public static class Errors
{
    public static readonly CustodianError InvalidRequest = new("invalid_request", ErrorCategory.InvalidArgument, "The request is not valid.");
    public static readonly CustodianError InvalidField = new("invalid_field", ErrorCategory.InvalidArgument, "A field is not valid.");
    public static readonly CustodianError Unauthenticated = new("unauthenticated", ErrorCategory.Unauthenticated, "No valid API key was presented.");
    public static readonly CustodianError MissingRight = new("missing_right", ErrorCategory.PermissionDenied, "The API key lacks a right this call needs.");
    public static readonly CustodianError TenantNotFound = new("tenant_not_found", ErrorCategory.NotFound, "No such tenant.");
    public static readonly CustodianError TenantExists = new("tenant_exists", ErrorCategory.AlreadyExists, "A tenant with this id exists.");
    public static readonly CustodianError NetworkExists = new("network_exists", ErrorCategory.AlreadyExists, "A network with this NetID and NSID exists.");
    public static readonly CustodianError NetworkNotFound = new("network_not_found", ErrorCategory.NotFound, "No such network is registered.");
    public static readonly CustodianError ApplicationServerExists = new("application_server_exists", ErrorCategory.AlreadyExists, "An application server with this AS-ID exists.");
    public static readonly CustodianError ApplicationServerNotFound = new("application_server_not_found", ErrorCategory.NotFound, "No such application server is registered.");
    public static readonly CustodianError DeviceExists = new("device_exists", ErrorCategory.AlreadyExists, "A device with this DevEUI exists.");
    public static readonly CustodianError NotDeviceOwner = new("not_device_owner", ErrorCategory.PermissionDenied, "Only the device's owner may do this.");
    public static readonly CustodianError DeviceNotFound = new("device_not_found", ErrorCategory.NotFound, "No such device, or not yours.");
    public static readonly CustodianError StorageUnavailable = new("storage_unavailable", ErrorCategory.Unavailable, "The store is not reachable; retry.");
    public static readonly CustodianError Internal = new("internal", ErrorCategory.Internal, "An internal error occurred.");

    /// <summary>Every entry, for the uniqueness test and the documentation.</summary>
    public static IReadOnlyList<CustodianError> All { get; } =
        [.. typeof(Errors).GetFields().Where(f => f.FieldType == typeof(CustodianError)).Select(f => (CustodianError)f.GetValue(null)!)];
}
