using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Custodian.Core.Custody;

/// <summary>
/// A secret as it rests in storage: wrapped (RFC 3394) under the key-encryption key named by
/// <see cref="KekLabel"/>. Its storage text is <c>label:base64</c>; its <see cref="ToString"/> shows the label only.
/// </summary>
public sealed record SealedSecret(string KekLabel, ReadOnlyMemory<byte> Wrapped)
{
    private const char Separator = ':';

    public string ToStorageText() => KekLabel + Separator + Convert.ToBase64String(Wrapped.Span);

    public static SealedSecret ParseStorageText(string text) =>
        TryParseStorageText(text, out var secret)
            ? secret
            : throw new FormatException("A sealed secret is stored as 'label:base64'.");

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
        secret = new SealedSecret(text[..separator], bytes.AsMemory(0, length));
        return true;
    }

    public bool Equals(SealedSecret? other) =>
        other is not null && KekLabel == other.KekLabel && CryptographicOperations.FixedTimeEquals(Wrapped.Span, other.Wrapped.Span);

    public override int GetHashCode() => HashCode.Combine(KekLabel, Wrapped.Length);

    public override string ToString() => $"SealedSecret {{ KekLabel = {KekLabel}, {Wrapped.Length} bytes, redacted }}";
}
