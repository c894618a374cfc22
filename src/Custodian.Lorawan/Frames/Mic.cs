using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Custodian.Lorawan.Crypto;

namespace Custodian.Lorawan.Frames;

/// <summary>
/// A 4-byte message integrity code: the first 4 bytes of an AES-CMAC. <see cref="Value"/> reads them
/// big-endian, so the hex text is the bytes in frame order. Compare MICs with <see cref="FixedTimeEquals"/>.
/// </summary>
public readonly record struct Mic(uint Value)
{
    public const int Size = 4;

    public static Mic Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    /// <summary>CMAC(key, message)[0..3].</summary>
    public static Mic Compute(in AesCipher key, ReadOnlySpan<byte> message) => FromCmac(AesCmac.Compute(in key, message));

    /// <summary>Compares without an early exit, so a forger learns nothing from the time taken.</summary>
    public bool FixedTimeEquals(Mic other)
    {
        Span<byte> mine = stackalloc byte[Size];
        Span<byte> theirs = stackalloc byte[Size];
        Write(mine);
        other.Write(theirs);
        return CryptographicOperations.FixedTimeEquals(mine, theirs);
    }

    public override string ToString() => Value.ToString("x8", CultureInfo.InvariantCulture);

    private static Mic FromCmac(Vector128<byte> mac)
    {
        Span<byte> bytes = stackalloc byte[AesCmac.MacSize];
        mac.CopyTo(bytes);
        return Read(bytes);
    }
}
