using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Custodian.Core.Devices;

/// <summary>
/// A device's claim code (TR005 owner token): 6 to 32 characters of <c>[A-Z0-9]</c>, read case-insensitively
/// and kept uppercase. Generated codes are 16 characters (about 82 bits). Its text form is redacted.
/// </summary>
[DebuggerDisplay("ClaimCode (redacted)")]
public readonly struct ClaimCode : IEquatable<ClaimCode>
{
    public const int MinLength = 6;
    public const int MaxLength = 32;
    public const int GeneratedLength = 16;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly string? _value;

    private ClaimCode(string value) => _value = value;

    public static ClaimCode Generate() => new(RandomNumberGenerator.GetString(Alphabet, GeneratedLength));

    public static bool TryParse(string? text, out ClaimCode code, [NotNullWhen(false)] out string? error)
    {
        code = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "The claim code is empty.";
            return false;
        }
        if (text.Length is < MinLength or > MaxLength)
        {
            error = $"A claim code is {MinLength} to {MaxLength} characters, got {text.Length}.";
            return false;
        }
        var upper = text.ToUpperInvariant();
        var bad = upper.AsSpan().IndexOfAnyExcept(Alphabet);
        if (bad >= 0)
        {
            error = $"A claim code holds only A-Z and 0-9; character {bad + 1} is not one of them.";
            return false;
        }
        code = new ClaimCode(upper);
        error = null;
        return true;
    }

    public static ClaimCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    public bool IsEmpty => _value is null;

    /// <summary>The code itself: the one explicit way out, for the maker's response and the QR text.</summary>
    public string ExportSecret() => _value ?? throw new InvalidOperationException("The claim code is empty.");

    /// <summary>Compares a presented code with this one in constant time, ignoring case.</summary>
    public bool Matches(string? presented)
    {
        if (_value is null || !TryParse(presented, out var other, out _))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(_value), Encoding.ASCII.GetBytes(other._value!));
    }

    public bool Equals(ClaimCode other) => Matches(other._value);

    public override bool Equals(object? obj) => obj is ClaimCode other && Equals(other);

    public override int GetHashCode() => _value?.Length ?? 0;

    public static bool operator ==(ClaimCode left, ClaimCode right) => left.Equals(right);

    public static bool operator !=(ClaimCode left, ClaimCode right) => !left.Equals(right);

    public override string ToString() => "ClaimCode (redacted)";
}
