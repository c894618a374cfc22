namespace Custodian.Core.Joins;

/// <summary>
/// One cause for which the Join Server refused a Backend Interfaces request: a stable snake_case
/// <see cref="Code"/> (audit events and the <c>cause</c> label of the join metrics carry it) and a title.
/// Which ResultCode a peer is answered is <see cref="JoinResultCodes"/>' business, not the cause's.
/// </summary>
/// <param name="Code">Stable, unique: operators count and alert on it.</param>
/// <param name="Title">What the cause means, for documentation.</param>
/// <param name="Authentication">The sender's credential failed: nothing about the request is stored.</param>
/// <param name="Disclosed">
/// False for causes a network that is not the device's home must not tell apart from an unknown device;
/// they are answered as one, and only the device's own tenant's audit log says which it was.
/// </param>
public sealed record JoinError(string Code, string Title, bool Authentication = false, bool Disclosed = true)
{
    public override string ToString() => Code;
}

/// <summary>The join error catalogue, like <see cref="Custodian.Core.Errors.CustodianErrors"/> is for the REST API. Codes are stable: a test checks they are unique.</summary>
public static class JoinErrors
{
    /// <summary>What an accepted request carries in place of a cause (metrics only).</summary>
    public const string NoCause = "none";

    public static readonly JoinError MalformedMessage = new("malformed_message", "A field of the message is missing or not valid, its PHYPayload does not decode, or it names another DevEUI than the message.");
    public static readonly JoinError InvalidProtocolVersion = new("invalid_protocol_version", "The ProtocolVersion is neither 1.0 nor 1.1.");
    public static readonly JoinError MessageTypeNotServed = new("message_type_not_served", "The MessageType is not one this Join Server answers.");
    public static readonly JoinError NoCredential = new("no_credential", "The request carries no credential (bearer token or client certificate) of a registered peer of the right kind.", Authentication: true);
    public static readonly JoinError SenderIdMismatch = new("sender_id_mismatch", "SenderID is not the NetID or AS-ID the credential is registered for.", Authentication: true);
    public static readonly JoinError SenderNsIdMismatch = new("sender_nsid_mismatch", "SenderNSID is not the NSID the credential is registered for.", Authentication: true);
    public static readonly JoinError UnknownDevice = new("unknown_device", "No device has this DevEUI under this JoinEUI.");
    public static readonly JoinError DeviceNotClaimed = new("device_not_claimed", "The device is not claimed (nor pre-activated), so it has no home network.", Disclosed: false);
    public static readonly JoinError NotHomeNetwork = new("not_home_network", "The sender's NetID is not the device's home network.", Disclosed: false);
    public static readonly JoinError NotHomeNetworkServer = new("not_home_network_server", "The sender is not the device's home network server (NSID).", Disclosed: false);
    public static readonly JoinError MacVersionMismatch = new("mac_version_mismatch", "The MACVersion asked for is LoRaWAN 1.1, the device speaks 1.0.x.");
    public static readonly JoinError AppKeyMissing = new("app_key_missing", "A LoRaWAN 1.1 device without an AppKey.");
    public static readonly JoinError MicFailed = new("mic_failed", "The JoinRequest's MIC does not verify under the device's NwkKey.");
    public static readonly JoinError DevNonceReused = new("dev_nonce_reused", "The DevNonce was used before (LoRaWAN 1.0.0–1.0.3).");
    public static readonly JoinError DevNonceTooSmall = new("dev_nonce_too_small", "The DevNonce is not greater than the last accepted one (LoRaWAN 1.0.4 and 1.1).");
    public static readonly JoinError JoinNonceExhausted = new("join_nonce_exhausted", "The device has used every JoinNonce (24 bits).");
    public static readonly JoinError DeviceChanged = new("device_changed", "The device changed during the join on every attempt (other joins or claims won the writes).");
    public static readonly JoinError RejoinNotServed = new("rejoin_not_served", "RejoinReq is not served; the device joins again with a JoinRequest.");
    public static readonly JoinError UnknownSession = new("unknown_session", "The device has no session with this SessionKeyID.");
    public static readonly JoinError NotSessionApplicationServer = new("not_session_application_server", "The sender is not the application server of the session.");
    public static readonly JoinError SessionRevoked = new("session_revoked", "The session belongs to an earlier ownership of the device.");
    public static readonly JoinError SessionExpired = new("session_expired", "The session has expired.");
    public static readonly JoinError Internal = new("internal", "The Join Server failed inside; the request may be sent again.");

    /// <summary>Every entry, for the uniqueness test, the ResultCode table's completeness test and the documentation.</summary>
    public static IReadOnlyList<JoinError> All { get; } =
        [.. typeof(JoinErrors).GetFields().Where(f => f.FieldType == typeof(JoinError)).Select(f => (JoinError)f.GetValue(null)!)];
}
