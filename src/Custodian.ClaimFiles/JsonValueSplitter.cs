using System.Buffers;
using System.Text.Json;

namespace Custodian.ClaimFiles;

/// <summary>
/// Cuts a JSON stream into its items without holding more than one: the elements of a top-level array, or a
/// concatenated stream of values (<c>{…}{…}</c> or one a line). A <see cref="Utf8JsonReader"/> runs over a buffer
/// refilled from the stream; the buffer grows only to the size of the largest item.
/// </summary>
public sealed class JsonValueSplitter(Stream stream) : IDisposable
{
    private const int InitialSize = 64 * 1024;
    private const int MaxItemSize = 1024 * 1024; // a claim item is a few KB; JsonDocument holds several times an item's size
    private static readonly JsonReaderOptions Options = new() { AllowMultipleValues = true };

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _started;
    private bool _inArray;
    private bool _done;
    private bool _afterArray;
    private int _line = 1;
    private JsonReaderState _state = new(Options);

    /// <summary>
    /// The next item's UTF-8 bytes (valid until the next call) and the line it starts on; false after the last.
    /// </summary>
    /// <exception cref="ClaimFileException">The JSON is broken (with the line), or an item exceeds 1 MB.</exception>
    public bool TryNext(out ReadOnlyMemory<byte> item, out int line)
    {
        while (true)
        {
            if (TryCut(out item, out line, out var needMore))
            {
                return true;
            }
            if (!needMore)
            {
                return false;
            }
            Refill();
        }
    }

    private bool TryCut(out ReadOnlyMemory<byte> item, out int line, out bool needMore)
    {
        item = default;
        line = _line;
        needMore = false;
        if (_done)
        {
            return false;
        }
        if (_afterArray)
        {
            return TryEnd(out needMore);
        }
        var window = _buffer.AsSpan(_start, _end - _start);
        var reader = new Utf8JsonReader(window, _endOfStream, _state);
        try
        {
            while (true)
            {
                if (!reader.Read())
                {
                    needMore = !_endOfStream;
                    if (!needMore)
                    {
                        _done = true;
                    }
                    return false;
                }
                if (!_started)
                {
                    _started = true;
                    _inArray = reader.TokenType == JsonTokenType.StartArray;
                    if (_inArray)
                    {
                        // The next reader starts after the '[', so item offsets stay relative to one window.
                        Commit(ref reader, window);
                        return TryCut(out item, out line, out needMore);
                    }
                }
                if (_inArray && reader.TokenType == JsonTokenType.EndArray)
                {
                    Commit(ref reader, window);
                    _afterArray = true;
                    return TryEnd(out needMore);
                }
                var tokenStart = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    needMore = true;
                    return false;
                }
                line = _line + window[..tokenStart].Count((byte)'\n');
                item = _buffer.AsMemory(_start + tokenStart, (int)reader.BytesConsumed - tokenStart);
                Commit(ref reader, window);
                return true;
            }
        }
        catch (JsonException e)
        {
            throw Broken(_line + (int)(e.LineNumber ?? 0), "the JSON is broken");
        }
    }

    /// <summary>After the top-level array only whitespace may follow; always false (no item).</summary>
    private bool TryEnd(out bool needMore)
    {
        var rest = _buffer.AsSpan(_start, _end - _start);
        var content = rest.IndexOfAnyExcept(" \t\r\n"u8);
        if (content >= 0)
        {
            throw Broken(_line + rest[..content].Count((byte)'\n'), "more JSON after the closing ']'");
        }
        _line += rest.Count((byte)'\n');
        _start = _end;
        needMore = !_endOfStream;
        _done = _endOfStream;
        return false;
    }

    /// <summary>Moves past what the reader consumed, keeping its state and the line count.</summary>
    private void Commit(ref Utf8JsonReader reader, ReadOnlySpan<byte> window)
    {
        var consumed = (int)reader.BytesConsumed;
        _line += window[..consumed].Count((byte)'\n');
        _start += consumed;
        _state = reader.CurrentState;
    }

    private void Refill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            (_start, _end) = (0, pending);
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxItemSize)
            {
                throw Broken(_line, $"an item is larger than {MaxItemSize / (1024 * 1024)} MB");
            }
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _endOfStream = read == 0;
    }

    private static ClaimFileException Broken(int line, string what) => new($"line {line}: {what}");

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
