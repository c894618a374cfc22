using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace Custodian.Lorawan.Crypto;

/// <summary>AES-CMAC (RFC 4493) over a span, without allocating. LoRaWAN MICs are its first 4 bytes.</summary>
public static class AesCmac
{
    public const int MacSize = 16;

    /// <summary>The full 16-byte MAC of <paramref name="message"/> (which may be empty).</summary>
    public static Vector128<byte> Compute(in AesCipher cipher, ReadOnlySpan<byte> message)
    {
        var (k1, k2) = Subkeys(in cipher);
        var state = Vector128<byte>.Zero;
        while (message.Length > AesCipher.BlockSize)
        {
            state = cipher.EncryptBlock(state ^ Vector128.Create(message[..AesCipher.BlockSize]));
            message = message[AesCipher.BlockSize..];
        }
        var last = message.Length == AesCipher.BlockSize ? Vector128.Create(message) ^ k1 : Padded(message) ^ k2;
        return cipher.EncryptBlock(state ^ last);
    }

    /// <summary>Writes the 16-byte MAC of <paramref name="message"/> to <paramref name="mac"/>.</summary>
    public static void Compute(in AesCipher cipher, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (mac.Length < MacSize)
        {
            throw new ArgumentException($"A CMAC needs {MacSize} bytes of room, got {mac.Length}.", nameof(mac));
        }
        Compute(in cipher, message).CopyTo(mac);
    }

    /// <summary>RFC 4493 §2.3: L = AES(K, 0), K1 = dbl(L), K2 = dbl(K1).</summary>
    internal static (Vector128<byte> K1, Vector128<byte> K2) Subkeys(in AesCipher cipher)
    {
        var k1 = Double(cipher.EncryptBlock(Vector128<byte>.Zero));
        return (k1, Double(k1));
    }

    // Doubling in GF(2^128): a big-endian shift left by one bit, reduced by x^128 = x^7 + x^2 + x + 1 (0x87).
    private static Vector128<byte> Double(Vector128<byte> value)
    {
        Span<byte> bytes = stackalloc byte[MacSize];
        value.CopyTo(bytes);
        var number = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var carry = (UInt128)(ulong)(number >> 127);
        BinaryPrimitives.WriteUInt128BigEndian(bytes, (number << 1) ^ (carry * 0x87));
        return Vector128.Create((ReadOnlySpan<byte>)bytes);
    }

    // The last partial (or empty) block, followed by 0x80 and zeros.
    private static Vector128<byte> Padded(ReadOnlySpan<byte> tail)
    {
        Span<byte> block = stackalloc byte[AesCipher.BlockSize];
        block.Clear();
        tail.CopyTo(block);
        block[tail.Length] = 0x80;
        return Vector128.Create((ReadOnlySpan<byte>)block);
    }
}
