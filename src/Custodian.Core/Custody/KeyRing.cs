using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Core.Custody;

/// <summary>
/// The Join Server's own key-encryption keys: new secrets are sealed under the current label, and secrets sealed
/// under any older label stay readable, which is how the KEK rotates. A seal is AES-GCM bound to its row
/// (<see cref="SecretBinding"/>); seals of the older, unbound format (RFC 3394) still open until a rewrap replaces them.
/// </summary>
public sealed class KeyRing
{
    // RFC 3394 wraps whole 8-byte blocks, at least two; a length byte in front lets any secret up to 255 bytes fit.
    private const int MaxSecretLength = byte.MaxValue;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, KeyEncryptionKey> _keks;

    public KeyRing(IEnumerable<KeyEncryptionKey> keks, string currentLabel)
    {
        _keks = new Dictionary<string, KeyEncryptionKey>(StringComparer.Ordinal);
        foreach (var kek in keks)
        {
            if (!_keks.TryAdd(kek.Label, kek))
            {
                throw new ArgumentException($"KEK label '{kek.Label}' is given twice.", nameof(keks));
            }
        }
        if (!_keks.ContainsKey(currentLabel))
        {
            throw new ArgumentException($"The current KEK label '{currentLabel}' names no KEK.", nameof(currentLabel));
        }
        CurrentLabel = currentLabel;
    }

    /// <summary>The label new secrets are sealed under.</summary>
    public string CurrentLabel { get; }

    public IEnumerable<string> Labels => _keks.Keys;

    public bool HasLabel(string label) => _keks.ContainsKey(label);

    public SealedSecret Seal(ReadOnlySpan<byte> secret, SecretBinding binding) => SealUnder(CurrentLabel, secret, binding);

    /// <summary>Seals under a given label (a KEK check value is one per label); <see cref="Seal"/> uses the current one.</summary>
    public SealedSecret SealUnder(string label, ReadOnlySpan<byte> secret, SecretBinding binding)
    {
        CheckLength(secret);
        var sealedBytes = new byte[NonceSize + secret.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = Aead(_keks[label]))
        {
            aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceSize, secret.Length), sealedBytes.AsSpan(NonceSize + secret.Length), binding.ToBytes());
        }
        return new SealedSecret(label, sealedBytes, SealFormat.Aead);
    }

    /// <summary>
    /// The format before schema 5 (RFC 3394, bound to nothing): what older versions stored. Only tests of the
    /// upgrade path make new ones.
    /// </summary>
    public SealedSecret SealUnbound(ReadOnlySpan<byte> secret)
    {
        CheckLength(secret);
        Span<byte> padded = stackalloc byte[PaddedLength(secret.Length)];
        padded.Clear();
        padded[0] = (byte)secret.Length;
        secret.CopyTo(padded[1..]);
        var wrapped = _keks[CurrentLabel].Wrap(padded);
        CryptographicOperations.ZeroMemory(padded);
        return new SealedSecret(CurrentLabel, wrapped, SealFormat.KeyWrap);
    }

    /// <summary>
    /// Opens <paramref name="sealedSecret"/>. Fails when its label is unknown or its integrity check fails (a wrong
    /// KEK, tampered storage, or a value copied from another row); the error names the label, never the secret.
    /// </summary>
    public bool TryOpen(SealedSecret sealedSecret, SecretBinding binding, [NotNullWhen(true)] out byte[]? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (!_keks.TryGetValue(sealedSecret.KekLabel, out var kek))
        {
            error = $"The secret is sealed under KEK '{sealedSecret.KekLabel}', which is not configured.";
            return false;
        }
        return sealedSecret.Format == SealFormat.Aead
            ? TryOpenAead(kek, sealedSecret.Wrapped.Span, binding, out secret, out error)
            : TryUnwrap(kek, sealedSecret.Wrapped.Span, out secret, out error);
    }

    public byte[] Open(SealedSecret sealedSecret, SecretBinding binding) =>
        TryOpen(sealedSecret, binding, out var secret, out var error) ? secret : throw new CryptographicException(error);

    private static bool TryOpenAead(KeyEncryptionKey kek, ReadOnlySpan<byte> sealedBytes, SecretBinding binding, [NotNullWhen(true)] out byte[]? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (sealedBytes.Length < NonceSize + 1 + TagSize)
        {
            error = $"A sealed secret under KEK '{kek.Label}' has a bad length ({sealedBytes.Length} bytes).";
            return false;
        }
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = Aead(kek);
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes[NonceSize..^TagSize], sealedBytes[^TagSize..], plain, binding.ToBytes());
        }
        catch (AuthenticationTagMismatchException)
        {
            error = $"The secret under KEK '{kek.Label}' does not open for {binding.Text}: a different KEK, tampered storage, or a value from another row.";
            return false;
        }
        secret = plain;
        error = null;
        return true;
    }

    private static bool TryUnwrap(KeyEncryptionKey kek, ReadOnlySpan<byte> wrapped, [NotNullWhen(true)] out byte[]? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            error = $"A sealed secret under KEK '{kek.Label}' has a bad length ({wrapped.Length} bytes).";
            return false;
        }
        var padded = new byte[wrapped.Length - AesKeyWrap.Overhead];
        if (!kek.TryUnwrap(wrapped, padded, out var unwrapError))
        {
            error = $"The secret under KEK '{kek.Label}' does not unwrap: {unwrapError}";
            return false;
        }
        var length = padded[0];
        if (length == 0 || PaddedLength(length) != padded.Length)
        {
            CryptographicOperations.ZeroMemory(padded);
            error = $"The secret under KEK '{kek.Label}' has a bad padding.";
            return false;
        }
        secret = padded.AsSpan(1, length).ToArray();
        CryptographicOperations.ZeroMemory(padded);
        error = null;
        return true;
    }

    /// <summary>A new AesGcm per call: an instance is not safe to share between threads, and its setup is cheap.</summary>
    private static AesGcm Aead(KeyEncryptionKey kek)
    {
        Span<byte> key = stackalloc byte[kek.KeySize];
        kek.ExportSecret(key);
        try
        {
            return new AesGcm(key, TagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void CheckLength(ReadOnlySpan<byte> secret)
    {
        if (secret.Length is 0 or > MaxSecretLength)
        {
            throw new ArgumentException($"A sealed secret is 1 to {MaxSecretLength} bytes.", nameof(secret));
        }
    }

    private static int PaddedLength(int secretLength) => Math.Max(16, (secretLength + 1 + 7) / 8 * 8);
}
