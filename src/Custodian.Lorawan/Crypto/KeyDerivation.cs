using System.Runtime.Intrinsics;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// LoRaWAN key derivation: each key is one AES-128 encryption of a 16-byte block under a root key.
/// Allocation-free; the root keys come in as prepared <see cref="AesCipher"/> schedules.
/// </summary>
public static class KeyDerivation
{
    private const byte NwkSKeyType = 0x01;
    private const byte FNwkSIntKeyType = 0x01;
    private const byte AppSKeyType = 0x02;
    private const byte SNwkSIntKeyType = 0x03;
    private const byte NwkSEncKeyType = 0x04;
    private const byte JSEncKeyType = 0x05;
    private const byte JSIntKeyType = 0x06;
    private const byte RootWorSKeyType = 0x01;

    /// <summary>
    /// LoRaWAN 1.0.x (and 1.1 with OptNeg unset): NwkSKey and AppSKey from one root key over
    /// JoinNonce | NetID | DevNonce. A 1.0.x device's single key is its NwkKey; a 1.1 device on a 1.0 network uses its NwkKey too.
    /// </summary>
    public static SessionKeys DeriveLorawan10(in AesCipher rootKey, JoinNonce joinNonce, NetId netId, DevNonce devNonce) =>
        SessionKeys.FromLorawan10(
            new NwkSKey(Derive10(in rootKey, NwkSKeyType, joinNonce, netId, devNonce)),
            new AppSKey(Derive10(in rootKey, AppSKeyType, joinNonce, netId, devNonce)));

    /// <summary>LoRaWAN 1.1 with OptNeg set: network keys from the NwkKey, AppSKey from the AppKey, over JoinNonce | JoinEUI | DevNonce.</summary>
    public static SessionKeys DeriveLorawan11(in AesCipher nwkKey, in AesCipher appKey, JoinNonce joinNonce, JoinEui joinEui, DevNonce devNonce) =>
        new(
            new FNwkSIntKey(Derive11(in nwkKey, FNwkSIntKeyType, joinNonce, joinEui, devNonce)),
            new SNwkSIntKey(Derive11(in nwkKey, SNwkSIntKeyType, joinNonce, joinEui, devNonce)),
            new NwkSEncKey(Derive11(in nwkKey, NwkSEncKeyType, joinNonce, joinEui, devNonce)),
            new AppSKey(Derive11(in appKey, AppSKeyType, joinNonce, joinEui, devNonce)));

    /// <summary>JSIntKey = AES(NwkKey, 06 | DevEUI | pad): the 1.1 JoinAccept MIC key and type-1 rejoin MIC key.</summary>
    public static JSIntKey DeriveJSIntKey(in AesCipher nwkKey, DevEui devEui) => new(DeriveJs(in nwkKey, JSIntKeyType, devEui));

    /// <summary>JSEncKey = AES(NwkKey, 05 | DevEUI | pad): encrypts the JoinAccept that answers a RejoinRequest.</summary>
    public static JSEncKey DeriveJSEncKey(in AesCipher nwkKey, DevEui devEui) => new(DeriveJs(in nwkKey, JSEncKeyType, devEui));

    /// <summary>TS011 relay: RootWorSKey = AES(NwkSEncKey, or the 1.0.x NwkSKey, 01 | pad).</summary>
    public static RootWorSKey DeriveRootWorSKey(in AesCipher nwkSEncKey)
    {
        Span<byte> block = stackalloc byte[AesCipher.BlockSize];
        block.Clear();
        block[0] = RootWorSKeyType;
        return new RootWorSKey(Encrypt(in nwkSEncKey, block));
    }

    private static Key128 Derive10(in AesCipher rootKey, byte keyType, JoinNonce joinNonce, NetId netId, DevNonce devNonce)
    {
        Span<byte> block = stackalloc byte[AesCipher.BlockSize];
        block.Clear();
        block[0] = keyType;
        joinNonce.WriteLittleEndian(block[1..]);
        netId.WriteLittleEndian(block[4..]);
        devNonce.WriteLittleEndian(block[7..]);
        return Encrypt(in rootKey, block);
    }

    private static Key128 Derive11(in AesCipher rootKey, byte keyType, JoinNonce joinNonce, JoinEui joinEui, DevNonce devNonce)
    {
        Span<byte> block = stackalloc byte[AesCipher.BlockSize];
        block.Clear();
        block[0] = keyType;
        joinNonce.WriteLittleEndian(block[1..]);
        joinEui.WriteLittleEndian(block[4..]);
        devNonce.WriteLittleEndian(block[12..]);
        return Encrypt(in rootKey, block);
    }

    private static Key128 DeriveJs(in AesCipher nwkKey, byte keyType, DevEui devEui)
    {
        Span<byte> block = stackalloc byte[AesCipher.BlockSize];
        block.Clear();
        block[0] = keyType;
        devEui.WriteLittleEndian(block[1..]);
        return Encrypt(in nwkKey, block);
    }

    private static Key128 Encrypt(in AesCipher rootKey, ReadOnlySpan<byte> block) =>
        Key128.FromVector(rootKey.EncryptBlock(Vector128.Create(block)));
}
