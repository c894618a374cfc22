using System.Runtime.Intrinsics;
using Custodian.Lorawan.Crypto;

namespace Custodian.Lorawan.Frames;

/// <summary>What a JoinAccept answers; the first byte of the LoRaWAN 1.1 JoinAccept MIC input.</summary>
public enum JoinReqType : byte
{
    RejoinType0 = 0,
    RejoinType1 = 1,
    RejoinType2 = 2,
    JoinRequest = 0xFF,
}

/// <summary>
/// A JoinAccept in clear: <c>MHDR(20) | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | [CFList] | MIC</c>,
/// 17 or 33 bytes. Building one is: set the fields, sign (legacy or 1.1 MIC), then <see cref="Encrypt"/>.
/// The device side is <see cref="Decrypt"/>, then a MIC check.
/// </summary>
public readonly record struct JoinAccept(JoinNonce JoinNonce, NetId NetId, DevAddr DevAddr, DLSettings DLSettings, RxDelay RxDelay, CFList? CFList, Mic Mic)
{
    public const byte Mhdr = 0x20;
    public const int SizeWithoutCFList = 17;
    public const int SizeWithCFList = SizeWithoutCFList + Frames.CFList.Size;
    private const string FrameName = "JoinAccept";
    private const int MaxMic11Prefix = 1 + JoinEui.Size + DevNonce.Size;

    /// <summary>17, or 33 with a CFList.</summary>
    public int Length => CFList is null ? SizeWithoutCFList : SizeWithCFList;

    private int MicInputLength => Length - Mic.Size;

    /// <summary>Decodes a JoinAccept in clear (after <see cref="DecryptPayload"/>).</summary>
    public static FrameResult<JoinAccept> Decode(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length is not (SizeWithoutCFList or SizeWithCFList))
        {
            return FrameError.WrongLength(FrameName, "17 or 33", plaintext.Length);
        }
        if (plaintext[0] != Mhdr)
        {
            return FrameError.WrongMessageType(plaintext[0], FrameName);
        }
        CFList? cfList = plaintext.Length == SizeWithCFList ? Frames.CFList.Decode(plaintext.Slice(13, Frames.CFList.Size)).Value : null;
        return new JoinAccept(
            JoinNonce.ReadLittleEndian(plaintext[1..]),
            NetId.ReadLittleEndian(plaintext[4..]),
            DevAddr.ReadLittleEndian(plaintext[7..]),
            new DLSettings(plaintext[11]),
            new RxDelay(plaintext[12]),
            cfList,
            Mic.Read(plaintext[^Mic.Size..]));
    }

    /// <summary>Device side: decrypts an encrypted PHYPayload with the NwkKey (or JSEncKey, or 1.0 AppKey) and decodes it.</summary>
    public static FrameResult<JoinAccept> Decrypt(in AesCipher key, ReadOnlySpan<byte> phyPayload)
    {
        if (phyPayload.Length is not (SizeWithoutCFList or SizeWithCFList))
        {
            return FrameError.WrongLength(FrameName, "17 or 33", phyPayload.Length);
        }
        Span<byte> plaintext = stackalloc byte[SizeWithCFList];
        plaintext = plaintext[..phyPayload.Length];
        plaintext[0] = phyPayload[0];
        DecryptPayload(in key, phyPayload[1..], plaintext[1..]);
        return Decode(plaintext);
    }

    /// <summary>Writes the frame in clear (MHDR..MIC); returns the bytes written.</summary>
    public int EncodePlaintext(Span<byte> destination)
    {
        EncodeMicInput(destination);
        Mic.Write(destination[MicInputLength..]);
        return Length;
    }

    /// <summary>
    /// Writes the PHYPayload as sent: the MHDR in clear, then everything after it processed with AES
    /// <em>decryption</em>, as the specification says (so the device only needs AES encryption).
    /// </summary>
    public int Encrypt(in AesCipher key, Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"{FrameName} needs {Length} bytes of room, got {destination.Length}.", nameof(destination));
        }
        Span<byte> plaintext = stackalloc byte[SizeWithCFList];
        plaintext = plaintext[..EncodePlaintext(plaintext)];
        destination[0] = plaintext[0];
        EncryptPayload(in key, plaintext[1..], destination[1..]);
        return Length;
    }

    /// <summary>LoRaWAN 1.0, or 1.1 with OptNeg unset: CMAC(key, MHDR..CFList)[0..3].</summary>
    public Mic ComputeLegacyMic(in AesCipher key)
    {
        Span<byte> micInput = stackalloc byte[SizeWithCFList];
        EncodeMicInput(micInput);
        return Mic.Compute(in key, micInput[..MicInputLength]);
    }

    /// <summary>
    /// LoRaWAN 1.1 with OptNeg set: CMAC(JSIntKey, JoinReqType | JoinEUI | DevNonce | MHDR..CFList)[0..3].
    /// For a rejoin answer, <paramref name="devNonceOrRjCount"/> is the RJcount of the request.
    /// </summary>
    public Mic ComputeMic11(in AesCipher jsIntKey, JoinReqType joinReqType, JoinEui joinEui, ushort devNonceOrRjCount)
    {
        Span<byte> micInput = stackalloc byte[MaxMic11Prefix + SizeWithCFList];
        micInput[0] = (byte)joinReqType;
        joinEui.WriteLittleEndian(micInput[1..]);
        new DevNonce(devNonceOrRjCount).WriteLittleEndian(micInput[(1 + JoinEui.Size)..]);
        EncodeMicInput(micInput[MaxMic11Prefix..]);
        return Mic.Compute(in jsIntKey, micInput[..(MaxMic11Prefix + MicInputLength)]);
    }

    public JoinAccept SignLegacy(in AesCipher key) => this with { Mic = ComputeLegacyMic(in key) };

    public JoinAccept Sign11(in AesCipher jsIntKey, JoinReqType joinReqType, JoinEui joinEui, ushort devNonceOrRjCount) =>
        this with { Mic = ComputeMic11(in jsIntKey, joinReqType, joinEui, devNonceOrRjCount) };

    public bool VerifyLegacyMic(in AesCipher key) => ComputeLegacyMic(in key).FixedTimeEquals(Mic);

    public bool VerifyMic11(in AesCipher jsIntKey, JoinReqType joinReqType, JoinEui joinEui, ushort devNonceOrRjCount) =>
        ComputeMic11(in jsIntKey, joinReqType, joinEui, devNonceOrRjCount).FixedTimeEquals(Mic);

    /// <summary>The network side of the cipher: AES-ECB decryption of 16 or 32 bytes (JoinNonce..MIC, no MHDR).</summary>
    public static void EncryptPayload(in AesCipher key, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ThrowIfBadPayload(plaintext.Length, ciphertext.Length);
        for (var offset = 0; offset < plaintext.Length; offset += AesCipher.BlockSize)
        {
            key.DecryptBlock(Vector128.Create(plaintext[offset..])).CopyTo(ciphertext[offset..]);
        }
    }

    /// <summary>The device side of the cipher: AES-ECB encryption, which undoes <see cref="EncryptPayload"/>.</summary>
    public static void DecryptPayload(in AesCipher key, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ThrowIfBadPayload(ciphertext.Length, plaintext.Length);
        for (var offset = 0; offset < ciphertext.Length; offset += AesCipher.BlockSize)
        {
            key.EncryptBlock(Vector128.Create(ciphertext[offset..])).CopyTo(plaintext[offset..]);
        }
    }

    private void EncodeMicInput(Span<byte> destination)
    {
        if (destination.Length < MicInputLength)
        {
            throw new ArgumentException($"{FrameName} needs {Length} bytes of room, got {destination.Length}.", nameof(destination));
        }
        destination[0] = Mhdr;
        JoinNonce.WriteLittleEndian(destination[1..]);
        NetId.WriteLittleEndian(destination[4..]);
        DevAddr.WriteLittleEndian(destination[7..]);
        destination[11] = DLSettings.Value;
        destination[12] = RxDelay.Value;
        CFList?.Write(destination[13..]);
    }

    private static void ThrowIfBadPayload(int sourceLength, int destinationLength)
    {
        if (sourceLength is not (16 or 32))
        {
            throw new ArgumentException($"A JoinAccept payload after the MHDR is 16 or 32 bytes, got {sourceLength}.");
        }
        if (destinationLength < sourceLength)
        {
            throw new ArgumentException($"The JoinAccept payload needs {sourceLength} bytes of room, got {destinationLength}.");
        }
    }
}
