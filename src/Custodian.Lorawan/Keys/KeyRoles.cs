namespace Custodian.Lorawan;

// One type per key role, so that a NwkSKey can never be passed where an AppSKey is due.
// Each wraps a Key128, whose text form is redacted: a record's ToString() prints
// "AppKey { Key = (redacted) }".

/// <summary>A key of a known role.</summary>
public interface IAesKey
{
    Key128 Key { get; }
}

/// <summary>Root key: LoRaWAN 1.1 application root key; in 1.0.x, the only root key (see <see cref="NwkKey"/>).</summary>
public readonly record struct AppKey(Key128 Key) : IAesKey;

/// <summary>Root key: LoRaWAN 1.1 network root key. A 1.0.x device's single root key is held as its NwkKey (as The Things Stack and ChirpStack do).</summary>
public readonly record struct NwkKey(Key128 Key) : IAesKey;

/// <summary>Session key for application payload encryption (1.0.x and 1.1).</summary>
public readonly record struct AppSKey(Key128 Key) : IAesKey;

/// <summary>LoRaWAN 1.0.x network session key.</summary>
public readonly record struct NwkSKey(Key128 Key) : IAesKey;

/// <summary>LoRaWAN 1.1 forwarding network session integrity key.</summary>
public readonly record struct FNwkSIntKey(Key128 Key) : IAesKey;

/// <summary>LoRaWAN 1.1 serving network session integrity key.</summary>
public readonly record struct SNwkSIntKey(Key128 Key) : IAesKey;

/// <summary>LoRaWAN 1.1 network session encryption key.</summary>
public readonly record struct NwkSEncKey(Key128 Key) : IAesKey;

/// <summary>LoRaWAN 1.1 join server integrity key (JoinAccept MIC for rejoins and OptNeg joins).</summary>
public readonly record struct JSIntKey(Key128 Key) : IAesKey;

/// <summary>LoRaWAN 1.1 join server encryption key (encrypts the answer to a RejoinRequest).</summary>
public readonly record struct JSEncKey(Key128 Key) : IAesKey;

/// <summary>TS011 relay: root key of the WOR session keys, derived from NwkSEncKey (1.1) or NwkSKey (1.0.x).</summary>
public readonly record struct RootWorSKey(Key128 Key) : IAesKey;
