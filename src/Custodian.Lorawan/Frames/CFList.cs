using System.Globalization;
using System.Runtime.Intrinsics;

namespace Custodian.Lorawan.Frames;

/// <summary>The CFListType, in the CFList's last byte.</summary>
public enum CFListType : byte
{
    /// <summary>Five extra channel frequencies (EU868-like plans).</summary>
    Frequencies = 0,

    /// <summary>Channel mask (US915-like plans).</summary>
    ChannelMask = 1,
}

/// <summary>
/// The optional 16-byte channel list of a JoinAccept; byte 15 is its type. A Join Server copies it
/// from the network's request, so any type byte is kept. Type 0 holds five 24-bit little-endian
/// frequencies in units of 100 Hz; type 1 holds channel-mask bits (channel n = byte n/8, bit n%8).
/// </summary>
public readonly record struct CFList
{
    public const int Size = 16;
    public const int FrequencyCount = 5;
    public const int ChannelMaskChannels = 96;
    private const int FrequencySize = 3;

    private readonly Vector128<byte> _bytes;

    private CFList(Vector128<byte> bytes) => _bytes = bytes;

    public CFListType Type => (CFListType)_bytes[Size - 1];

    public static FrameResult<CFList> Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? new CFList(Vector128.Create(bytes)) : FrameError.WrongLength("CFList", Size, bytes.Length);

    /// <summary>Type 0 from up to five frequencies in units of 100 Hz (868.1 MHz = 8681000); missing ones are 0.</summary>
    public static CFList FromFrequencies(ReadOnlySpan<uint> frequencies100Hz)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frequencies100Hz.Length, FrequencyCount, nameof(frequencies100Hz));
        Span<byte> bytes = stackalloc byte[Size];
        bytes.Clear();
        for (var i = 0; i < frequencies100Hz.Length; i++)
        {
            var frequency = frequencies100Hz[i];
            ArgumentOutOfRangeException.ThrowIfGreaterThan(frequency, 0xFFFFFFu, nameof(frequencies100Hz));
            bytes[i * FrequencySize] = (byte)frequency;
            bytes[(i * FrequencySize) + 1] = (byte)(frequency >> 8);
            bytes[(i * FrequencySize) + 2] = (byte)(frequency >> 16);
        }
        bytes[Size - 1] = (byte)CFListType.Frequencies;
        return new CFList(Vector128.Create((ReadOnlySpan<byte>)bytes));
    }

    /// <summary>Type 1 with the given channels (0 to 95) enabled.</summary>
    public static CFList FromEnabledChannels(ReadOnlySpan<int> channels)
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes.Clear();
        foreach (var channel in channels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(channel, nameof(channels));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, ChannelMaskChannels, nameof(channels));
            bytes[channel / 8] |= (byte)(1 << (channel % 8));
        }
        bytes[Size - 1] = (byte)CFListType.ChannelMask;
        return new CFList(Vector128.Create((ReadOnlySpan<byte>)bytes));
    }

    /// <summary>Frequency <paramref name="index"/> (0 to 4) of a type-0 list, in units of 100 Hz; 0 means unused.</summary>
    public uint GetFrequency100Hz(int index)
    {
        ThrowIfNotType(CFListType.Frequencies);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FrequencyCount);
        var offset = index * FrequencySize;
        return _bytes[offset] | ((uint)_bytes[offset + 1] << 8) | ((uint)_bytes[offset + 2] << 16);
    }

    public bool IsChannelEnabled(int channel)
    {
        ThrowIfNotType(CFListType.ChannelMask);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, ChannelMaskChannels);
        return (_bytes[channel / 8] & (1 << (channel % 8))) != 0;
    }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A CFList needs {Size} bytes of room, got {destination.Length}.", nameof(destination));
        }
        _bytes.CopyTo(destination);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToHexString(bytes);
    }

    private void ThrowIfNotType(CFListType expected)
    {
        if (Type != expected)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"CFList is type {(byte)Type}, not {(byte)expected}."));
        }
    }
}
