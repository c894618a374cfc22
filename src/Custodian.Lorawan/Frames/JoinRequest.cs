using Custodian.Lorawan.Crypto;

namespace Custodian.Lorawan.Frames;

/// <summary>
/// A JoinRequest: <c>MHDR(00) | JoinEUI | DevEUI | DevNonce | MIC</c>, 23 bytes, fields little-endian.
/// The MIC key is the AppKey in 1.0.x (held as the NwkKey here) and the NwkKey in 1.1.
/// </summary>
public readonly record struct JoinRequest(JoinEui JoinEui, DevEui DevEui, DevNonce DevNonce, Mic Mic)
{
    public const byte Mhdr = 0x00;
    public const int Size = 23;
    public const int MicInputSize = Size - Mic.Size;
    private const string FrameName = "JoinRequest";

    public static FrameResult<JoinRequest> Decode(ReadOnlySpan<byte> phyPayload)
    {
        if (phyPayload.Length != Size)
        {
            return FrameError.WrongLength(FrameName, Size, phyPayload.Length);
        }
        if (phyPayload[0] != Mhdr)
        {
            return FrameError.WrongMessageType(phyPayload[0], FrameName);
        }
        return new JoinRequest(
            JoinEui.ReadLittleEndian(phyPayload[1..]),
            DevEui.ReadLittleEndian(phyPayload[9..]),
            DevNonce.ReadLittleEndian(phyPayload[17..]),
            Mic.Read(phyPayload[MicInputSize..]));
    }

    /// <summary>Writes the 23-byte frame; returns the bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        EncodeMicInput(destination);
        Mic.Write(destination[MicInputSize..]);
        return Size;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        Encode(bytes);
        return bytes;
    }

    /// <summary>CMAC(key, MHDR..DevNonce)[0..3].</summary>
    public Mic ComputeMic(in AesCipher key)
    {
        Span<byte> micInput = stackalloc byte[MicInputSize];
        EncodeMicInput(micInput);
        return Mic.Compute(in key, micInput);
    }

    /// <summary>This request with its MIC computed under <paramref name="key"/> (the device side).</summary>
    public JoinRequest Sign(in AesCipher key) => this with { Mic = ComputeMic(in key) };

    /// <summary>Compares the MIC in constant time.</summary>
    public bool VerifyMic(in AesCipher key) => ComputeMic(in key).FixedTimeEquals(Mic);

    private void EncodeMicInput(Span<byte> destination)
    {
        if (destination.Length < MicInputSize)
        {
            throw new ArgumentException($"{FrameName} needs {MicInputSize} bytes of room, got {destination.Length}.", nameof(destination));
        }
        destination[0] = Mhdr;
        JoinEui.WriteLittleEndian(destination[1..]);
        DevEui.WriteLittleEndian(destination[9..]);
        DevNonce.WriteLittleEndian(destination[17..]);
    }
}
