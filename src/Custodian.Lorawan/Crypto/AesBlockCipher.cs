using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using AesNi = System.Runtime.Intrinsics.X86.Aes;
using BclAes = System.Security.Cryptography.Aes;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// Single-block AES with a 128, 192 or 256-bit key, expanded once, for RFC 3394 key wrapping: a join
/// unwraps the root keys and wraps three or four session keys, and the BCL's one-shot ECB calls cost about
/// a microsecond a block (a wrap is 12 to 18 blocks). With AES-NI the blocks run on the round keys held
/// here, thread-safely; without it each block goes through a BCL <see cref="BclAes"/> made per call.
/// </summary>
internal sealed class AesBlockCipher
{
    private static readonly byte[] RoundConstants = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];
    private readonly Vector128<byte>[]? _encryptKeys;
    private readonly Vector128<byte>[]? _decryptKeys;
    private readonly byte[]? _key;

    public AesBlockCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"An AES key is 16, 24 or 32 bytes, got {key.Length}.", nameof(key));
        }
        if (AesNi.IsSupported)
        {
            _encryptKeys = ExpandKey(key);
            _decryptKeys = InvertForDecryption(_encryptKeys);
        }
        else
        {
            _key = key.ToArray();
        }
    }

    /// <summary>Encrypts one 16-byte block in place.</summary>
    public void EncryptBlock(Span<byte> block)
    {
        if (_encryptKeys is null)
        {
            Fallback(block, encrypt: true);
            return;
        }
        var rounds = _encryptKeys.Length - 1;
        var state = Vector128.Create((ReadOnlySpan<byte>)block) ^ _encryptKeys[0];
        for (var round = 1; round < rounds; round++)
        {
            state = AesNi.Encrypt(state, _encryptKeys[round]);
        }
        AesNi.EncryptLast(state, _encryptKeys[rounds]).CopyTo(block);
    }

    /// <summary>Decrypts one 16-byte block in place.</summary>
    public void DecryptBlock(Span<byte> block)
    {
        if (_decryptKeys is null)
        {
            Fallback(block, encrypt: false);
            return;
        }
        var rounds = _decryptKeys.Length - 1;
        var state = Vector128.Create((ReadOnlySpan<byte>)block) ^ _decryptKeys[0];
        for (var round = 1; round < rounds; round++)
        {
            state = AesNi.Decrypt(state, _decryptKeys[round]);
        }
        AesNi.DecryptLast(state, _decryptKeys[rounds]).CopyTo(block);
    }

    /// <summary>Overwrites the key material.</summary>
    public void Clear()
    {
        _encryptKeys?.AsSpan().Clear();
        _decryptKeys?.AsSpan().Clear();
        if (_key is not null)
        {
            CryptographicOperations.ZeroMemory(_key);
        }
    }

    /// <summary>
    /// FIPS 197 §5.2 on 32-bit words for every key size; SubWord is AESKEYGENASSIST's (which substitutes
    /// words 1 and 3 of its input), so no S-box table lives here.
    /// </summary>
    private static Vector128<byte>[] ExpandKey(ReadOnlySpan<byte> key)
    {
        var nk = key.Length / 4;
        var rounds = nk + 6;
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
        var keys = new Vector128<byte>[rounds + 1];
        for (var round = 0; round <= rounds; round++)
        {
            keys[round] = Vector128.Create(words[(4 * round)..((4 * round) + 4)]).AsByte();
        }
        words.Clear();
        return keys;
    }

    private static uint SubWord(uint word) =>
        AesNi.KeygenAssist(Vector128.Create(0u, word, 0u, 0u).AsByte(), 0).AsUInt32().GetElement(0);

    // The equivalent inverse cipher (FIPS 197 §5.3.5): reversed order, InvMixColumns on the inner keys.
    private static Vector128<byte>[] InvertForDecryption(Vector128<byte>[] encryptKeys)
    {
        var rounds = encryptKeys.Length - 1;
        var keys = new Vector128<byte>[rounds + 1];
        keys[0] = encryptKeys[rounds];
        for (var round = 1; round < rounds; round++)
        {
            keys[round] = AesNi.InverseMixColumns(encryptKeys[rounds - round]);
        }
        keys[rounds] = encryptKeys[0];
        return keys;
    }

    private void Fallback(Span<byte> block, bool encrypt)
    {
        using var aes = BclAes.Create();
        aes.SetKey(_key);
        if (encrypt)
        {
            aes.EncryptEcb(block, block, PaddingMode.None);
        }
        else
        {
            aes.DecryptEcb(block, block, PaddingMode.None);
        }
    }
}
