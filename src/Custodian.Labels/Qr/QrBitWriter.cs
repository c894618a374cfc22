namespace Custodian.Labels.Qr;

/// <summary>Appends bits most significant first into a cleared buffer of codewords.</summary>
internal ref struct QrBitWriter
{
    private readonly Span<byte> _buffer;

    public QrBitWriter(Span<byte> buffer)
    {
        buffer.Clear();
        _buffer = buffer;
    }

    public int BitLength { get; private set; }

    public readonly int Capacity => _buffer.Length * 8;

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/>.</summary>
    public void Write(int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            if (((value >> i) & 1) != 0)
            {
                _buffer[BitLength >> 3] |= (byte)(0x80 >> (BitLength & 7));
            }
            BitLength++;
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if ((BitLength & 7) == 0)
        {
            bytes.CopyTo(_buffer[(BitLength >> 3)..]);
            BitLength += bytes.Length * 8;
            return;
        }
        foreach (var b in bytes)
        {
            Write(b, 8);
        }
    }

    /// <summary>
    /// Ends the data: a terminator of up to four zero bits, zeros to the codeword boundary, then the pad codewords
    /// 0xEC and 0x11 in turn until the buffer is full (ISO/IEC 18004 7.4.9–7.4.10).
    /// </summary>
    public void Terminate()
    {
        BitLength = Math.Min(BitLength + 4, Capacity);
        BitLength = (BitLength + 7) & ~7;
        for (var pad = 0xEC; BitLength < Capacity; pad ^= 0xEC ^ 0x11)
        {
            _buffer[BitLength >> 3] = (byte)pad;
            BitLength += 8;
        }
    }
}
