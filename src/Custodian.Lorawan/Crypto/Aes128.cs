using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using AesNi = System.Runtime.Intrinsics.X86.Aes;
using BclAes = System.Security.Cryptography.Aes;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// One AES-128 key, expanded once and reused for single-block operations without allocating.
/// On x86 with AES-NI the round keys live in this struct; elsewhere it falls back to the
/// BCL <see cref="BclAes"/> in ECB mode (correct, slower, and allocating per call).
/// The struct is large (two schedules): pass it with <c>in</c>.
/// </summary>
public readonly struct Aes128
{
    public const int BlockSize = 16;
    private const int Rounds = 10;

    private readonly RoundKeys _encryptKeys;
    private readonly RoundKeys _decryptKeys;
    private readonly BclAes? _fallback;
    private readonly bool _hardware;

    public Aes128(Key128 key)
        : this(key, AesNi.IsSupported)
    {
    }

    /// <summary>Lets tests force the fallback on a machine that has AES-NI.</summary>
    internal Aes128(Key128 key, bool useHardware)
    {
        if (useHardware)
        {
            _hardware = true;
            _encryptKeys = ExpandKey(key.Vector);
            _decryptKeys = InvertForDecryption(_encryptKeys);
        }
        else
        {
            _fallback = CreateFallback(key);
        }
    }

    /// <summary>True when blocks are processed with AES-NI instructions.</summary>
    public static bool IsHardwareAccelerated => AesNi.IsSupported;

    public Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        if (!_hardware)
        {
            return FallbackBlock(block, encrypt: true);
        }
        var state = block ^ _encryptKeys[0];
        for (var round = 1; round < Rounds; round++)
        {
            state = AesNi.Encrypt(state, _encryptKeys[round]);
        }
        return AesNi.EncryptLast(state, _encryptKeys[Rounds]);
    }

    public Vector128<byte> DecryptBlock(Vector128<byte> block)
    {
        if (!_hardware)
        {
            return FallbackBlock(block, encrypt: false);
        }
        var state = block ^ _decryptKeys[0];
        for (var round = 1; round < Rounds; round++)
        {
            state = AesNi.Decrypt(state, _decryptKeys[round]);
        }
        return AesNi.DecryptLast(state, _decryptKeys[Rounds]);
    }

    /// <summary>Encrypts one 16-byte block; <paramref name="source"/> and <paramref name="destination"/> may overlap.</summary>
    public void EncryptBlock(ReadOnlySpan<byte> source, Span<byte> destination) =>
        EncryptBlock(ReadBlock(source)).CopyTo(destination);

    /// <summary>Decrypts one 16-byte block; <paramref name="source"/> and <paramref name="destination"/> may overlap.</summary>
    public void DecryptBlock(ReadOnlySpan<byte> source, Span<byte> destination) =>
        DecryptBlock(ReadBlock(source)).CopyTo(destination);

    internal static Vector128<byte> ReadBlock(ReadOnlySpan<byte> source)
    {
        if (source.Length != BlockSize)
        {
            throw new ArgumentException($"An AES block is {BlockSize} bytes, got {source.Length}.", nameof(source));
        }
        return Vector128.Create(source);
    }

    // FIPS 197 key expansion; AESKEYGENASSIST needs its round constant as an immediate, hence the unrolled calls.
    private static RoundKeys ExpandKey(Vector128<byte> key)
    {
        var keys = default(RoundKeys);
        keys[0] = key;
        keys[1] = NextRoundKey(keys[0], AesNi.KeygenAssist(keys[0], 0x01));
        keys[2] = NextRoundKey(keys[1], AesNi.KeygenAssist(keys[1], 0x02));
        keys[3] = NextRoundKey(keys[2], AesNi.KeygenAssist(keys[2], 0x04));
        keys[4] = NextRoundKey(keys[3], AesNi.KeygenAssist(keys[3], 0x08));
        keys[5] = NextRoundKey(keys[4], AesNi.KeygenAssist(keys[4], 0x10));
        keys[6] = NextRoundKey(keys[5], AesNi.KeygenAssist(keys[5], 0x20));
        keys[7] = NextRoundKey(keys[6], AesNi.KeygenAssist(keys[6], 0x40));
        keys[8] = NextRoundKey(keys[7], AesNi.KeygenAssist(keys[7], 0x80));
        keys[9] = NextRoundKey(keys[8], AesNi.KeygenAssist(keys[8], 0x1B));
        keys[10] = NextRoundKey(keys[9], AesNi.KeygenAssist(keys[9], 0x36));
        return keys;
    }

    private static Vector128<byte> NextRoundKey(Vector128<byte> previous, Vector128<byte> assist)
    {
        // AESKEYGENASSIST leaves RotWord(SubWord(w3)) ^ rcon in its top word: broadcast it to all four.
        var rotated = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        return FoldWords(previous) ^ rotated;
    }

    // w0, w0^w1, w0^w1^w2, w0^w1^w2^w3: three shifts of one 32-bit word across the whole register.
    private static Vector128<byte> FoldWords(Vector128<byte> key)
    {
        key ^= ShiftLeftOneWord(key);
        key ^= ShiftLeftOneWord(key);
        key ^= ShiftLeftOneWord(key);
        return key;
    }

    private static Vector128<byte> ShiftLeftOneWord(Vector128<byte> value) =>
        Sse2.ShiftLeftLogical128BitLane(value, 4);

    // The equivalent inverse cipher (FIPS 197 §5.3.5): reversed order, InvMixColumns on the inner keys.
    private static RoundKeys InvertForDecryption(in RoundKeys encryptKeys)
    {
        var keys = default(RoundKeys);
        keys[0] = encryptKeys[Rounds];
        for (var round = 1; round < Rounds; round++)
        {
            keys[round] = AesNi.InverseMixColumns(encryptKeys[Rounds - round]);
        }
        keys[Rounds] = encryptKeys[0];
        return keys;
    }

    private static BclAes CreateFallback(Key128 key)
    {
        var aes = BclAes.Create();
        Span<byte> bytes = stackalloc byte[Key128.Size];
        key.ExportSecret(bytes);
        aes.SetKey(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return aes;
    }

    private Vector128<byte> FallbackBlock(Vector128<byte> block, bool encrypt)
    {
        // default(Aes128) has neither schedule: refuse rather than encrypt under all-zero round keys.
        var fallback = _fallback ?? throw new InvalidOperationException("This Aes128 was not created from a key.");
        Span<byte> buffer = stackalloc byte[BlockSize];
        block.CopyTo(buffer);
        if (encrypt)
        {
            fallback.EncryptEcb(buffer, buffer, PaddingMode.None);
        }
        else
        {
            fallback.DecryptEcb(buffer, buffer, PaddingMode.None);
        }
        return Vector128.Create((ReadOnlySpan<byte>)buffer);
    }

    [InlineArray(Rounds + 1)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
