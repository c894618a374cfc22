namespace Custodian.Lorawan.Crypto;

/// <summary>
/// The session keys a join produces. For LoRaWAN 1.0.x (or 1.1 without OptNeg) the three
/// network keys are one NwkSKey, as Backend Interfaces and The Things Stack hold it.
/// Each key's text form is redacted.
/// </summary>
public readonly record struct SessionKeys(FNwkSIntKey FNwkSIntKey, SNwkSIntKey SNwkSIntKey, NwkSEncKey NwkSEncKey, AppSKey AppSKey)
{
    /// <summary>1.0.x keys: the NwkSKey serves as all three network keys.</summary>
    public static SessionKeys FromLorawan10(NwkSKey nwkSKey, AppSKey appSKey) =>
        new(new FNwkSIntKey(nwkSKey.Key), new SNwkSIntKey(nwkSKey.Key), new NwkSEncKey(nwkSKey.Key), appSKey);

    /// <summary>The 1.0.x NwkSKey (Backend Interfaces <c>NwkSKey</c>), which is the FNwkSIntKey.</summary>
    public NwkSKey NwkSKey => new(FNwkSIntKey.Key);
}
