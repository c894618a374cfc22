using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// A Backend Interfaces KeyEnvelope: <c>KEKLabel</c> and <c>AESKey</c>. An empty label means
/// <see cref="AesKey"/> is the plain 16-byte key; otherwise it is the key wrapped (RFC 3394)
/// with the KEK of that label, 24 bytes. Plain data for serialisation; its text form hides the key.
/// </summary>
public sealed record KeyEnvelope(string KekLabel, ReadOnlyMemory<byte> AesKey)
{
    public bool IsWrapped => KekLabel.Length > 0;

    /// <summary>The key in clear, with an empty label (only where the peer has no KEK).</summary>
    public static KeyEnvelope Plain(Key128 key)
    {
        var bytes = new byte[Key128.Size];
        key.ExportSecret(bytes);
        return new KeyEnvelope(string.Empty, bytes);
    }

    /// <summary>Wraps <paramref name="key"/> with <paramref name="kek"/>, or sends it plain when there is no KEK.</summary>
    public static KeyEnvelope Seal(Key128 key, KeyEncryptionKey? kek)
    {
        if (kek is null)
        {
            return Plain(key);
        }
        Span<byte> bytes = stackalloc byte[Key128.Size];
        key.ExportSecret(bytes);
        var wrapped = kek.Wrap(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return new KeyEnvelope(kek.Label, wrapped);
    }

    /// <summary>
    /// Recovers the key. A wrapped envelope needs the KEK of its label; <paramref name="error"/>
    /// says what went wrong (missing or mismatched KEK, bad length, failed integrity check).
    /// </summary>
    public bool TryOpen(KeyEncryptionKey? kek, out Key128 key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        if (!IsWrapped)
        {
            return TryReadPlain(out key, out error);
        }
        if (kek is null || kek.Label != KekLabel)
        {
            error = $"KeyEnvelope is wrapped with KEK '{KekLabel}', which is not available.";
            return false;
        }
        if (AesKey.Length != Key128.Size + AesKeyWrap.Overhead)
        {
            error = $"A wrapped AES-128 key is {Key128.Size + AesKeyWrap.Overhead} bytes, got {AesKey.Length}.";
            return false;
        }
        Span<byte> bytes = stackalloc byte[Key128.Size];
        if (!kek.TryUnwrap(AesKey.Span, bytes, out error))
        {
            return false;
        }
        key = Key128.FromBytes(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return true;
    }

    /// <summary>As <see cref="TryOpen"/>, throwing <see cref="CryptographicException"/> on failure.</summary>
    public Key128 Open(KeyEncryptionKey? kek) =>
        TryOpen(kek, out var key, out var error) ? key : throw new CryptographicException(error);

    // Value equality on the bytes, not on the memory's identity; compared in constant time since AesKey may be plain.
    public bool Equals(KeyEnvelope? other) =>
        other is not null && KekLabel == other.KekLabel && CryptographicOperations.FixedTimeEquals(AesKey.Span, other.AesKey.Span);

    public override int GetHashCode() => HashCode.Combine(KekLabel, AesKey.Length);

    public override string ToString() =>
        $"KeyEnvelope {{ KekLabel = {KekLabel}, AesKey = ({AesKey.Length} bytes, {(IsWrapped ? "wrapped" : "plain")}, redacted) }}";

    private bool TryReadPlain(out Key128 key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        if (AesKey.Length != Key128.Size)
        {
            error = $"A plain AES-128 key is {Key128.Size} bytes, got {AesKey.Length}.";
            return false;
        }
        key = Key128.FromBytes(AesKey.Span);
        error = null;
        return true;
    }
}
