using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Core.Custody;

/// <summary>How a <see cref="SealedSecret"/> is sealed.</summary>
public enum SealFormat
{
    /// <summary>
    /// Before schema 5: a length byte, zero padding, RFC 3394 key wrap. Not bound to its row; still opened, and
    /// re-sealed as <see cref="Aead"/> by a rewrap.
    /// </summary>
    KeyWrap,

    /// <summary>AES-GCM (12-byte random nonce, 16-byte tag) with the row's <see cref="SecretBinding"/> as associated data.</summary>
    Aead,
}

/// <summary>
/// A secret as it rests in storage, sealed under the key-encryption key named by <see cref="KekLabel"/>. Its storage
/// text is <c>label:base64</c> (<see cref="SealFormat.KeyWrap"/>) or <c>label:aead1:base64</c>
/// (<see cref="SealFormat.Aead"/>); labels hold no ':'. Its <see cref="ToString"/> shows the label only.
/// </summary>
public sealed record SealedSecret(string KekLabel, ReadOnlyMemory<byte> Wrapped, SealFormat Format = SealFormat.KeyWrap)
{
    private const char Separator = ':';
    private const string AeadMarker = ":aead1";

    public string ToStorageText() =>
        KekLabel + (Format == SealFormat.Aead ? AeadMarker : "") + Separator + Convert.ToBase64String(Wrapped.Span);

    /// <summary><see cref="ToStorageText"/> into <paramref name="destination"/> (the join's hot path writes it without a string).</summary>
    public bool TryFormatStorageText(Span<char> destination, out int written)
    {
        written = 0;
        var marker = Format == SealFormat.Aead ? AeadMarker : "";
        var head = KekLabel.Length + marker.Length + 1;
        if (destination.Length < head + ((Wrapped.Length + 2) / 3 * 4))
        {
            return false;
        }
        KekLabel.CopyTo(destination);
        marker.CopyTo(destination[KekLabel.Length..]);
        destination[head - 1] = Separator;
        if (!Convert.TryToBase64Chars(Wrapped.Span, destination[head..], out var base64))
        {
            return false;
        }
        written = head + base64;
        return true;
    }

    public static SealedSecret ParseStorageText(string text) =>
        TryParseStorageText(text, out var secret)
            ? secret
            : throw new FormatException("A sealed secret is stored as 'label:base64' or 'label:aead1:base64'.");

    public static bool TryParseStorageText(string? text, [NotNullWhen(true)] out SealedSecret? secret)
    {
        secret = null;
        var separator = text?.LastIndexOf(Separator) ?? -1;
        if (text is null || separator <= 0)
        {
            return false;
        }
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text[(separator + 1)..], bytes, out var length))
        {
            return false;
        }
        var head = text[..separator];
        var format = head.EndsWith(AeadMarker, StringComparison.Ordinal) ? SealFormat.Aead : SealFormat.KeyWrap;
        var label = format == SealFormat.Aead ? head[..^AeadMarker.Length] : head;
        if (label.Length == 0)
        {
            return false;
        }
        secret = new SealedSecret(label, bytes.AsMemory(0, length), format);
        return true;
    }

    public bool Equals(SealedSecret? other) =>
        other is not null && KekLabel == other.KekLabel && Format == other.Format && CryptographicOperations.FixedTimeEquals(Wrapped.Span, other.Wrapped.Span);

    public override int GetHashCode() => HashCode.Combine(KekLabel, Format, Wrapped.Length);

    public override string ToString() => $"SealedSecret {{ KekLabel = {KekLabel}, {Format}, {Wrapped.Length} bytes, redacted }}";
}
