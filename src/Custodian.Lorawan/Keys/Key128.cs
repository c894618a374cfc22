using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Custodian.Lorawan;

/// <summary>
/// 16 bytes of AES-128 key material, held in one vector register so that the crypto
/// code can use it without copying. Its text form is redacted; the only way out is
/// <see cref="ExportSecret(Span{byte})"/>.
/// </summary>
[DebuggerDisplay("Key128 (redacted)")]
public readonly struct Key128 : IEquatable<Key128>
{
    public const int Size = 16;

    private readonly Vector128<byte> _bytes;

    private Key128(Vector128<byte> bytes) => _bytes = bytes;

    /// <summary>The key bytes in the order given to AES.</summary>
    internal Vector128<byte> Vector => _bytes;

    public static Key128 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An AES-128 key is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }
        return new Key128(Vector128.Create(bytes));
    }

    internal static Key128 FromVector(Vector128<byte> bytes) => new(bytes);

    public static Key128 Generate()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        var key = FromBytes(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return key;
    }

    /// <summary>Parses 32 hex digits. The message never echoes the text, which may be a secret.</summary>
    public static Key128 Parse(ReadOnlySpan<char> hex) =>
        TryParse(hex, out var key, out var error) ? key : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> hex, out Key128 key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        hex = hex.Trim();
        if (hex.Length != Size * 2)
        {
            error = hex.IsEmpty ? "Key is empty." : $"Key must be {Size * 2} hex digits, got {hex.Length} characters.";
            return false;
        }
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            error = "Key has a non-hex character.";
            return false;
        }
        key = FromBytes(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        error = null;
        return true;
    }

    /// <summary>Writes the secret key bytes. Every use of key material outside the crypto code goes through here.</summary>
    public void ExportSecret(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"Exporting a key needs {Size} bytes of room.", nameof(destination));
        }
        _bytes.CopyTo(destination);
    }

    /// <summary>The secret key as uppercase hex, for the few places (wire formats, manifests) that must carry it.</summary>
    public string ExportSecretHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        ExportSecret(bytes);
        var hex = Convert.ToHexString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return hex;
    }

    /// <summary>Compares all 16 bytes at once, without an early exit.</summary>
    public bool Equals(Key128 other) => _bytes == other._bytes;

    public override bool Equals(object? obj) => obj is Key128 other && Equals(other);

    public override int GetHashCode() => _bytes.GetHashCode();

    public override string ToString() => "(redacted)";

    public static bool operator ==(Key128 left, Key128 right) => left.Equals(right);

    public static bool operator !=(Key128 left, Key128 right) => !left.Equals(right);
}
