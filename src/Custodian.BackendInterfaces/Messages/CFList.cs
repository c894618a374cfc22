using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces;

/// <summary>The 16-byte CFList the NS wants in the JoinAccept, in wire order.</summary>
[JsonConverter(typeof(CFListConverter))]
public sealed class CFList
{
    public const int Size = 16;

    private readonly byte[] _bytes;

    public CFList(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A CFList is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }
        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The last byte: 0 for a list of frequencies, 1 for channel masks.</summary>
    public byte CFListType => _bytes[Size - 1];

    /// <summary>
    /// For a type-0 CFList: the five 24-bit little-endian frequencies, in units of 100 Hz,
    /// with trailing zero entries dropped (as The Things Stack reads them). Empty for other types.
    /// </summary>
    public IReadOnlyList<uint> Frequencies()
    {
        if (CFListType != 0)
        {
            return [];
        }
        var frequencies = new List<uint>(5);
        for (var i = 0; i < 15; i += 3)
        {
            frequencies.Add((uint)(_bytes[i] | (_bytes[i + 1] << 8) | (_bytes[i + 2] << 16)));
        }
        while (frequencies.Count > 0 && frequencies[^1] == 0)
        {
            frequencies.RemoveAt(frequencies.Count - 1);
        }
        return frequencies;
    }
}
