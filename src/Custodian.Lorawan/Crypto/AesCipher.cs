using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using AesNi = System.Runtime.Intrinsics.X86.Aes;
using BclAes = System.Security.Cryptography.Aes;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// Single-block AES with a 128, 192 or 256-bit key, expanded once and reused without allocating: a join runs
/// 8 to 12 blocks on its root keys and an RFC 3394 wrap 12 to 18 blocks on a KEK, where the BCL's one-shot
/// ECB calls cost about a microsecond a block. On x86 with AES-NI the round keys live in this struct;
/// elsewhere each block goes through a BCL <see cref="BclAes"/> made per call (correct, slower, allocating).
/// The struct is large (two schedules): pass it with <c>in</c>.
/// </summary>
public struct AesCipher
{
    public const int BlockSize = 16;
    private const int MaxRounds = 14;
    private static ReadOnlySpan<byte> RoundConstants => [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];

    private RoundKeys _encryptKeys;
    private RoundKeys _decryptKeys;
    private readonly int _rounds;
    private readonly byte[]? _fallbackKey;

    /// <summary>An AES-128 key, as LoRaWAN's root and session keys are.</summary>
    public AesCipher(Key128 key)
        : this(key, AesNi.IsSupported)
    {
    }

    /// <summary>A 16, 24 or 32-byte key (a KEK may be any of them).</summary>
    public AesCipher(ReadOnlySpan<byte> key)
        : this(key, AesNi.IsSupported)
    {
    }

    /// <summary>Lets tests force the fallback on a machine that has AES-NI.</summary>
    internal AesCipher(Key128 key, bool useHardware)
    {
        if (!useHardware)
        {
            _fallbackKey = new byte[Key128.Size];
            key.ExportSecret(_fallbackKey);
            return;
        }
        _rounds = 10;
        ExpandKey128(key.Vector, ref _encryptKeys);
        InvertForDecryption(in _encryptKeys, ref _decryptKeys, _rounds);
    }

    internal AesCipher(ReadOnlySpan<byte> key, bool useHardware)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"An AES key is 16, 24 or 32 bytes, got {key.Length}.", nameof(key));
        }
        if (!useHardware)
        {
            _fallbackKey = key.ToArray();
            return;
        }
        _rounds = (key.Length / 4) + 6;
        ExpandKey(key, ref _encryptKeys, _rounds);
        InvertForDecryption(in _encryptKeys, ref _decryptKeys, _rounds);
    }

    /// <summary>True when blocks are processed with AES-NI instructions.</summary>
    public static bool IsHardwareAccelerated => AesNi.IsSupported;

    public readonly Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        if (_rounds == 0)
        {
            return FallbackBlock(block, encrypt: true);
        }
        var state = block ^ _encryptKeys[0];
        for (var round = 1; round < _rounds; round++)
        {
            state = AesNi.Encrypt(state, _encryptKeys[round]);
        }
        return AesNi.EncryptLast(state, _encryptKeys[_rounds]);
    }

    public readonly Vector128<byte> DecryptBlock(Vector128<byte> block)
    {
        if (_rounds == 0)
        {
            return FallbackBlock(block, encrypt: false);
        }
        var state = block ^ _decryptKeys[0];
        for (var round = 1; round < _rounds; round++)
        {
            state = AesNi.Decrypt(state, _decryptKeys[round]);
        }
        return AesNi.DecryptLast(state, _decryptKeys[_rounds]);
    }

    /// <summary>Encrypts one 16-byte block; <paramref name="source"/> and <paramref name="destination"/> may overlap.</summary>
    public readonly void EncryptBlock(ReadOnlySpan<byte> source, Span<byte> destination) =>
        EncryptBlock(ReadBlock(source)).CopyTo(destination);

    /// <summary>Decrypts one 16-byte block; <paramref name="source"/> and <paramref name="destination"/> may overlap.</summary>
    public readonly void DecryptBlock(ReadOnlySpan<byte> source, Span<byte> destination) =>
        DecryptBlock(ReadBlock(source)).CopyTo(destination);

    /// <summary>Overwrites the key material (a retired KEK).</summary>
    public void Clear()
    {
        ((Span<Vector128<byte>>)_encryptKeys).Clear();
        ((Span<Vector128<byte>>)_decryptKeys).Clear();
        if (_fallbackKey is not null)
        {
            CryptographicOperations.ZeroMemory(_fallbackKey);
        }
    }

    internal static Vector128<byte> ReadBlock(ReadOnlySpan<byte> source)
    {
        if (source.Length != BlockSize)
        {
            throw new ArgumentException($"An AES block is {BlockSize} bytes, got {source.Length}.", nameof(source));
        }
        return Vector128.Create(source);
    }

    // FIPS 197 key expansion for 128-bit keys, the join path's: AESKEYGENASSIST needs its round constant
    // as an immediate, hence the unrolled calls (about three times faster than the word loop below).
    private static void ExpandKey128(Vector128<byte> key, ref RoundKeys keys)
    {
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
    }

    private static Vector128<byte> NextRoundKey(Vector128<byte> previous, Vector128<byte> assist)
    {
        // AESKEYGENASSIST leaves RotWord(SubWord(w3)) ^ rcon in its top word: broadcast it to all four.
        var rotated = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        var folded = previous;
        folded ^= Sse2.ShiftLeftLogical128BitLane(folded, 4);
        folded ^= Sse2.ShiftLeftLogical128BitLane(folded, 4);
        folded ^= Sse2.ShiftLeftLogical128BitLane(folded, 4);
        return folded ^ rotated;
    }

    /// <summary>
    /// FIPS 197 §5.2 on 32-bit words for every key size; SubWord is AESKEYGENASSIST's (which substitutes
    /// words 1 and 3 of its input), so no S-box table lives here.
    /// </summary>
    private static void ExpandKey(ReadOnlySpan<byte> key, ref RoundKeys keys, int rounds)
    {
        var nk = key.Length / 4;
        Span<uint> words = stackalloc uint[4 * (rounds + 1)];
        for (var i = 0; i < nk; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        }
        for (var i = nk; i < words.Length; i++)
        {
            var temp = words[i - 1];
            if (i % nk == 0)
            {
                // RotWord on little-endian packed bytes [a0 a1 a2 a3] -> [a1 a2 a3 a0]; Rcon goes into a0.
                temp = SubWord((temp >> 8) | (temp << 24)) ^ RoundConstants[(i / nk) - 1];
            }
            else if (nk > 6 && i % nk == 4)
            {
                temp = SubWord(temp);
            }
            words[i] = words[i - nk] ^ temp;
        }
        for (var round = 0; round <= rounds; round++)
        {
            keys[round] = Vector128.Create(words[(4 * round)..((4 * round) + 4)]).AsByte();
        }
        words.Clear();
    }

    private static uint SubWord(uint word) =>
        AesNi.KeygenAssist(Vector128.Create(0u, word, 0u, 0u).AsByte(), 0).AsUInt32().GetElement(0);

    // The equivalent inverse cipher (FIPS 197 §5.3.5): reversed order, InvMixColumns on the inner keys.
    private static void InvertForDecryption(in RoundKeys encryptKeys, ref RoundKeys keys, int rounds)
    {
        keys[0] = encryptKeys[rounds];
        for (var round = 1; round < rounds; round++)
        {
            keys[round] = AesNi.InverseMixColumns(encryptKeys[rounds - round]);
        }
        keys[rounds] = encryptKeys[0];
    }

    private readonly Vector128<byte> FallbackBlock(Vector128<byte> block, bool encrypt)
    {
        // default(AesCipher) has neither schedule nor key: refuse rather than encrypt under all-zero round keys.
        var key = _fallbackKey ?? throw new InvalidOperationException("This AesCipher was not created from a key.");
        Span<byte> buffer = stackalloc byte[BlockSize];
        block.CopyTo(buffer);
        using var aes = BclAes.Create();
        aes.SetKey(key);
        if (encrypt)
        {
            aes.EncryptEcb(buffer, buffer, PaddingMode.None);
        }
        else
        {
            aes.DecryptEcb(buffer, buffer, PaddingMode.None);
        }
        return Vector128.Create((ReadOnlySpan<byte>)buffer);
    }

    [InlineArray(MaxRounds + 1)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
