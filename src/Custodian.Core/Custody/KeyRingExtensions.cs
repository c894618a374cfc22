using System.Security.Cryptography;
using System.Text;
using Custodian.Core.Devices;

namespace Custodian.Core.Custody;

/// <summary>Sealing the typed secrets Custodian keeps: root keys, session keys, claim codes, peer KEKs.</summary>
public static class KeyRingExtensions
{
    /// <summary>The NwkKey, then the AppKey when the device has one (LoRaWAN 1.1).</summary>
    public static SealedSecret SealRootKeys(this KeyRing ring, RootKeys keys, DevEui devEui)
    {
        Span<byte> bytes = stackalloc byte[2 * Key128.Size];
        keys.NwkKey.Key.ExportSecret(bytes);
        var length = Key128.Size;
        if (keys.AppKey is { } appKey)
        {
            appKey.Key.ExportSecret(bytes[Key128.Size..]);
            length += Key128.Size;
        }
        var sealedKeys = ring.Seal(bytes[..length], SecretBinding.DeviceRootKeys(devEui));
        CryptographicOperations.ZeroMemory(bytes);
        return sealedKeys;
    }

    public static RootKeys OpenRootKeys(this KeyRing ring, SealedSecret sealedKeys, DevEui devEui)
    {
        var bytes = ring.Open(sealedKeys, SecretBinding.DeviceRootKeys(devEui));
        try
        {
            return bytes.Length switch
            {
                Key128.Size => RootKeys.ForLorawan10(new NwkKey(Key128.FromBytes(bytes))),
                2 * Key128.Size => RootKeys.ForLorawan11(
                    new NwkKey(Key128.FromBytes(bytes.AsSpan(0, Key128.Size))),
                    new AppKey(Key128.FromBytes(bytes.AsSpan(Key128.Size)))),
                _ => throw new CryptographicException($"Sealed root keys are 16 or 32 bytes, got {bytes.Length}."),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static SealedSecret SealKey(this KeyRing ring, Key128 key, SecretBinding binding)
    {
        Span<byte> bytes = stackalloc byte[Key128.Size];
        key.ExportSecret(bytes);
        var sealedKey = ring.Seal(bytes, binding);
        CryptographicOperations.ZeroMemory(bytes);
        return sealedKey;
    }

    public static Key128 OpenKey(this KeyRing ring, SealedSecret sealedKey, SecretBinding binding)
    {
        var bytes = ring.Open(sealedKey, binding);
        try
        {
            return bytes.Length == Key128.Size
                ? Key128.FromBytes(bytes)
                : throw new CryptographicException($"A sealed key is {Key128.Size} bytes, got {bytes.Length}.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static SealedSecret SealClaimCode(this KeyRing ring, ClaimCode code, DevEui devEui) =>
        ring.Seal(Encoding.ASCII.GetBytes(code.ExportSecret()), SecretBinding.DeviceClaimCode(devEui));

    public static ClaimCode OpenClaimCode(this KeyRing ring, SealedSecret sealedCode, DevEui devEui)
    {
        var bytes = ring.Open(sealedCode, SecretBinding.DeviceClaimCode(devEui));
        return ClaimCode.TryParse(Encoding.ASCII.GetString(bytes), out var code, out var error)
            ? code
            : throw new CryptographicException("A sealed claim code is not a claim code: " + error);
    }

    /// <summary>A peer's KEK (16, 24 or 32 bytes) sealed under ours, bound to its network or application server; its own label travels beside it.</summary>
    public static PeerKek SealPeerKek(this KeyRing ring, KeyEncryptionKey kek, SecretBinding binding)
    {
        Span<byte> bytes = stackalloc byte[kek.KeySize];
        kek.ExportSecret(bytes);
        var sealedKek = new PeerKek(kek.Label, ring.Seal(bytes, binding));
        CryptographicOperations.ZeroMemory(bytes);
        return sealedKek;
    }

    public static KeyEncryptionKey OpenPeerKek(this KeyRing ring, PeerKek kek, SecretBinding binding)
    {
        var bytes = ring.Open(kek.Key, binding);
        try
        {
            return new KeyEncryptionKey(kek.Label, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}

/// <summary>A peer's key-encryption key as stored: its BI <c>KEKLabel</c> and the key sealed under our KEK.</summary>
public sealed record PeerKek(string Label, SealedSecret Key);
