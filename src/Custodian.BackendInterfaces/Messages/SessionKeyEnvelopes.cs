namespace Custodian.BackendInterfaces;

/// <summary>
/// The session keys a join produced, each in its envelope. For LoRaWAN 1.0.x only
/// <see cref="FNwkSIntKey"/> (the NwkSKey) and <see cref="AppSKey"/> are used.
/// </summary>
public sealed record SessionKeyEnvelopes(
    KeyEnvelope FNwkSIntKey,
    KeyEnvelope? SNwkSIntKey,
    KeyEnvelope? NwkSEncKey,
    KeyEnvelope? AppSKey);
