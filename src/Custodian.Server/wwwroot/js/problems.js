// The server's problem codes (src/Custodian.Core/Errors/Errors.cs) in plain sentences.

/** The time a retryAfter (seconds from now) ends, as the reader's clock shows it. */
export function untilTime(retryAfterSeconds, now = Date.now()) {
  const at = new Date(now + Math.max(1, retryAfterSeconds ?? 1) * 1000);
  return at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** A sentence saying why a claim did not happen. `asked` is what was sent (homeNetId, asId). */
export function claimRefusal(error, asked = {}) {
  switch (error.code) {
    case "claim_refused":
      return "Not claimed: wrong claim code, or no such device. Check the JoinEUI, DevEUI and claim code on the label.";
    case "claim_code_not_valid_now":
      return "Not claimed: this claim code is not valid at this time (outside the validity window its maker set).";
    case "device_claimed":
      return "Not claimed: this device is claimed by someone else. Its owner must unclaim it first.";
    case "claim_locked":
      return `Not claimed: too many wrong claim codes for this device. It is locked until ${untilTime(error.retryAfter)}.`;
    case "rate_limited":
      return `Not claimed: too many claims or wrong codes from this API key. Try again after ${untilTime(error.retryAfter)}.`;
    case "network_not_found":
      return `Not claimed: the home network ${asked.homeNetId || ""}${asked.homeNsId ? ` (NSID ${asked.homeNsId})` : ""} is not registered on this server. Ask its operator to register it.`;
    case "application_server_not_found":
      return `Not claimed: the application server ${asked.asId || ""} is not registered on this server. Ask its operator to register it.`;
    case "claiming_not_supported":
      return "Not claimed: no Join Server claims devices of this JoinEUI.";
    default:
      return `Not claimed: ${plain(error)}`;
  }
}

/** A sentence for any other failure. */
export function plain(error) {
  if (!error || typeof error !== "object" || !("code" in error)) {
    return "The server could not be reached. Check the connection and try again.";
  }
  switch (error.code) {
    case "unauthenticated":
      return "This API key is not accepted (revoked, mistyped or from another server). Sign in again.";
    case "missing_right":
      return `This API key lacks a right this needs. ${error.detail}`.trim();
    case "invalid_field":
    case "invalid_request":
      return `Something typed is not valid: ${error.detail}`;
    case "device_not_found":
      return "No such device among yours.";
    case "not_device_owner":
      return "Only the device's owner may do this.";
    case "join_server_unavailable":
      return "The Join Server that holds this device did not answer. Try again later.";
    case "storage_unavailable":
      return "The server's storage is not reachable. Try again shortly.";
    case "rate_limited":
      return `Too many requests from this API key. Try again after ${untilTime(error.retryAfter)}.`;
    default:
      return error.detail || error.message || "The server refused the request.";
  }
}
