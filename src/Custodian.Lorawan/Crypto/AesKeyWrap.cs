using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// AES key wrap (RFC 3394) with the default IV, as Backend Interfaces KeyEnvelopes use it.
/// KEKs of 16, 24 or 32 bytes; key data of at least 16 bytes in whole 8-byte blocks.
/// Every join unwraps and wraps a few keys, so the blocks run on <see cref="AesCipher"/> (AES-NI).
/// </summary>
public static class AesKeyWrap
{
    /// <summary>The number of bytes wrapping adds: one 8-byte integrity block.</summary>
    public const int Overhead = 8;

    private const int SemiBlock = 8;
    private const int MinKeyDataSize = 16;
    private const ulong DefaultIv = 0xA6A6A6A6A6A6A6A6;

    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> keyData)
    {
        var wrapped = new byte[keyData.Length + Overhead];
        Wrap(kek, keyData, wrapped);
        return wrapped;
    }

    /// <summary>Wraps <paramref name="keyData"/> into <paramref name="destination"/> (its length plus 8 bytes); returns the bytes written.</summary>
    public static int Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> keyData, Span<byte> destination)
    {
        ThrowIfBadKek(kek);
        var cipher = new AesCipher(kek);
        try
        {
            return Wrap(in cipher, keyData, destination);
        }
        finally
        {
            cipher.Clear();
        }
    }

    /// <summary>As above, with a KEK already expanded (a <see cref="KeyEncryptionKey"/> keeps one).</summary>
    internal static int Wrap(in AesCipher aes, ReadOnlySpan<byte> keyData, Span<byte> destination)
    {
        if (keyData.Length < MinKeyDataSize || keyData.Length % SemiBlock != 0)
        {
            throw new ArgumentException($"Key data to wrap must be at least {MinKeyDataSize} bytes and a multiple of {SemiBlock}, got {keyData.Length}.", nameof(keyData));
        }
        var length = keyData.Length + Overhead;
        if (destination.Length < length)
        {
            throw new ArgumentException($"Wrapping {keyData.Length} bytes needs {length} bytes of room, got {destination.Length}.", nameof(destination));
        }
        var output = destination[..length];
        keyData.CopyTo(output[SemiBlock..]);
        var integrity = DefaultIv;
        var n = keyData.Length / SemiBlock;
        Span<byte> block = stackalloc byte[16];
        for (var j = 0; j < 6; j++)
        {
            for (var i = 1; i <= n; i++)
            {
                var r = output.Slice(i * SemiBlock, SemiBlock);
                BinaryPrimitives.WriteUInt64BigEndian(block, integrity);
                r.CopyTo(block[SemiBlock..]);
                aes.EncryptBlock(block, block);
                integrity = BinaryPrimitives.ReadUInt64BigEndian(block) ^ (ulong)((n * j) + i);
                block[SemiBlock..].CopyTo(r);
            }
        }
        BinaryPrimitives.WriteUInt64BigEndian(output, integrity);
        CryptographicOperations.ZeroMemory(block);
        return length;
    }

    /// <summary>Unwraps and checks the integrity value; throws <see cref="CryptographicException"/> on any failure.</summary>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        var keyData = new byte[Math.Max(0, wrapped.Length - Overhead)];
        return TryUnwrap(kek, wrapped, keyData, out var error) ? keyData : throw new CryptographicException(error);
    }

    /// <summary>
    /// Unwraps into <paramref name="destination"/> (the wrapped length minus 8 bytes). On failure the
    /// destination is zeroed and <paramref name="error"/> says why; a wrong KEK and tampered data look alike.
    /// </summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped, Span<byte> destination, [NotNullWhen(false)] out string? error)
    {
        error = CheckUnwrapArguments(kek, wrapped, destination.Length);
        if (error is not null)
        {
            return false;
        }
        var cipher = new AesCipher(kek);
        try
        {
            return TryUnwrap(in cipher, wrapped, destination, out error);
        }
        finally
        {
            cipher.Clear();
        }
    }

    /// <summary>As above, with a KEK already expanded (a <see cref="KeyEncryptionKey"/> keeps one).</summary>
    internal static bool TryUnwrap(in AesCipher aes, ReadOnlySpan<byte> wrapped, Span<byte> destination, [NotNullWhen(false)] out string? error)
    {
        error = CheckUnwrapArguments(16, wrapped, destination.Length);
        if (error is not null)
        {
            return false;
        }
        var keyData = destination[..(wrapped.Length - Overhead)];
        wrapped[SemiBlock..].CopyTo(keyData);
        var integrity = BinaryPrimitives.ReadUInt64BigEndian(wrapped);
        var n = keyData.Length / SemiBlock;
        Span<byte> block = stackalloc byte[16];
        for (var j = 5; j >= 0; j--)
        {
            for (var i = n; i >= 1; i--)
            {
                var r = keyData.Slice((i - 1) * SemiBlock, SemiBlock);
                BinaryPrimitives.WriteUInt64BigEndian(block, integrity ^ (ulong)((n * j) + i));
                r.CopyTo(block[SemiBlock..]);
                aes.DecryptBlock(block, block);
                integrity = BinaryPrimitives.ReadUInt64BigEndian(block);
                block[SemiBlock..].CopyTo(r);
            }
        }
        CryptographicOperations.ZeroMemory(block);
        return CheckIntegrity(integrity, keyData, out error);
    }

    private static bool CheckIntegrity(ulong integrity, Span<byte> keyData, [NotNullWhen(false)] out string? error)
    {
        Span<byte> expected = stackalloc byte[SemiBlock];
        Span<byte> actual = stackalloc byte[SemiBlock];
        BinaryPrimitives.WriteUInt64BigEndian(expected, DefaultIv);
        BinaryPrimitives.WriteUInt64BigEndian(actual, integrity);
        if (CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            error = null;
            return true;
        }
        CryptographicOperations.ZeroMemory(keyData);
        error = "Unwrapped key failed the integrity check: wrong KEK or corrupted data.";
        return false;
    }

    private static string? CheckUnwrapArguments(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped, int room) =>
        CheckUnwrapArguments(kek.Length, wrapped, room);

    private static string? CheckUnwrapArguments(int kekLength, ReadOnlySpan<byte> wrapped, int room)
    {
        if (!IsValidKekSize(kekLength))
        {
            return KekSizeMessage(kekLength);
        }
        if (wrapped.Length < MinKeyDataSize + Overhead || wrapped.Length % SemiBlock != 0)
        {
            return $"A wrapped key must be at least {MinKeyDataSize + Overhead} bytes and a multiple of {SemiBlock}, got {wrapped.Length}.";
        }
        return room < wrapped.Length - Overhead
            ? $"Unwrapping {wrapped.Length} bytes needs {wrapped.Length - Overhead} bytes of room, got {room}."
            : null;
    }

    private static void ThrowIfBadKek(ReadOnlySpan<byte> kek)
    {
        if (!IsValidKekSize(kek.Length))
        {
            throw new ArgumentException(KekSizeMessage(kek.Length), nameof(kek));
        }
    }

    internal static bool IsValidKekSize(int length) => length is 16 or 24 or 32;

    internal static string KekSizeMessage(int length) => $"A KEK must be 16, 24 or 32 bytes, got {length}.";
}
