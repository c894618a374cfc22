using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// A key-encryption key (KEK) shared with a peer (a Network or Application Server), known by its label.
/// Its text form shows the label only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class KeyEncryptionKey
{
    private readonly byte[] _key;
    private AesCipher _cipher;

    public KeyEncryptionKey(string label, ReadOnlySpan<byte> key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (!AesKeyWrap.IsValidKekSize(key.Length))
        {
            throw new ArgumentException(AesKeyWrap.KekSizeMessage(key.Length), nameof(key));
        }
        Label = label;
        _key = key.ToArray();
        _cipher = new AesCipher(key);
    }

    /// <summary>The KEKLabel that names this key on the wire.</summary>
    public string Label { get; }

    /// <summary>16, 24 or 32.</summary>
    public int KeySize => _key.Length;

    /// <summary>Wraps with the key expanded once, in <see cref="AesCipher"/>: a KEK wraps keys on every join.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> keyData)
    {
        var wrapped = new byte[keyData.Length + AesKeyWrap.Overhead];
        AesKeyWrap.Wrap(in _cipher, keyData, wrapped);
        return wrapped;
    }

    public bool TryUnwrap(ReadOnlySpan<byte> wrapped, Span<byte> destination, [NotNullWhen(false)] out string? error) =>
        AesKeyWrap.TryUnwrap(in _cipher, wrapped, destination, out error);

    /// <summary>Writes the secret KEK bytes; the one explicit way out.</summary>
    public void ExportSecret(Span<byte> destination) => _key.CopyTo(destination);

    /// <summary>Overwrites the key bytes when the KEK is retired.</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_key);
        _cipher.Clear();
    }

    public override string ToString() => $"KeyEncryptionKey {Label} (redacted)";
}
