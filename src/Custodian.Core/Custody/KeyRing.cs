using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Core.Custody;

/// <summary>
/// The Join Server's own key-encryption keys: new secrets are sealed under the current label,
/// and secrets sealed under any older label stay readable, which is how the KEK rotates.
/// </summary>
public sealed class KeyRing
{
    // RFC 3394 wraps whole 8-byte blocks, at least two; a length byte in front lets any secret up to 255 bytes fit.
    private const int MaxSecretLength = byte.MaxValue;
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

    public SealedSecret Seal(ReadOnlySpan<byte> secret) => SealUnder(CurrentLabel, secret);

    public bool HasLabel(string label) => _keks.ContainsKey(label);

    /// <summary>Seals under a given label (a KEK check value is one per label); <see cref="Seal"/> uses the current one.</summary>
    public SealedSecret SealUnder(string label, ReadOnlySpan<byte> secret)
    {
        if (secret.Length is 0 or > MaxSecretLength)
        {
            throw new ArgumentException($"A sealed secret is 1 to {MaxSecretLength} bytes.", nameof(secret));
        }
        Span<byte> padded = stackalloc byte[PaddedLength(secret.Length)];
        padded.Clear();
        padded[0] = (byte)secret.Length;
        secret.CopyTo(padded[1..]);
        var wrapped = _keks[label].Wrap(padded);
        CryptographicOperations.ZeroMemory(padded);
        return new SealedSecret(label, wrapped);
    }

    /// <summary>
    /// Unwraps <paramref name="sealedSecret"/>. Fails when its label is unknown or its integrity check fails
    /// (a wrong KEK, or tampered storage); the error names the label, never the secret.
    /// </summary>
    public bool TryOpen(SealedSecret sealedSecret, [NotNullWhen(true)] out byte[]? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (!_keks.TryGetValue(sealedSecret.KekLabel, out var kek))
        {
            error = $"The secret is sealed under KEK '{sealedSecret.KekLabel}', which is not configured.";
            return false;
        }
        var wrapped = sealedSecret.Wrapped.Span;
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            error = $"A sealed secret under KEK '{sealedSecret.KekLabel}' has a bad length ({wrapped.Length} bytes).";
            return false;
        }
        var padded = new byte[wrapped.Length - AesKeyWrap.Overhead];
        if (!kek.TryUnwrap(wrapped, padded, out var unwrapError))
        {
            error = $"The secret under KEK '{sealedSecret.KekLabel}' does not unwrap: {unwrapError}";
            return false;
        }
        var length = padded[0];
        if (length == 0 || PaddedLength(length) != padded.Length)
        {
            CryptographicOperations.ZeroMemory(padded);
            error = $"The secret under KEK '{sealedSecret.KekLabel}' has a bad padding.";
            return false;
        }
        secret = padded.AsSpan(1, length).ToArray();
        CryptographicOperations.ZeroMemory(padded);
        error = null;
        return true;
    }

    public byte[] Open(SealedSecret sealedSecret) =>
        TryOpen(sealedSecret, out var secret, out var error) ? secret : throw new CryptographicException(error);

    private static int PaddedLength(int secretLength) => Math.Max(16, (secretLength + 1 + 7) / 8 * 8);
}
