using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Custodian.Lorawan.Frames;

/// <summary>What is wrong with a frame, so that callers can map it without parsing the message.</summary>
public enum FrameErrorKind
{
    /// <summary>The frame (or a field such as the CFList) has the wrong number of bytes.</summary>
    WrongLength,

    /// <summary>The MHDR names another message type.</summary>
    WrongMessageType,

    /// <summary>A field holds a value the specification does not allow.</summary>
    InvalidField,

    /// <summary>The MIC does not verify.</summary>
    MicMismatch,
}

/// <summary>A frame that could not be decoded or verified, with a precise message that never contains key material.</summary>
public sealed record FrameError(FrameErrorKind Kind, string Message)
{
    public static FrameError WrongLength(string frame, int expected, int actual) =>
        new(FrameErrorKind.WrongLength, string.Create(CultureInfo.InvariantCulture, $"{frame} must be {expected} bytes, got {actual}."));

    public static FrameError WrongLength(string frame, string expected, int actual) =>
        new(FrameErrorKind.WrongLength, string.Create(CultureInfo.InvariantCulture, $"{frame} must be {expected} bytes, got {actual}."));

    public static FrameError WrongMessageType(byte mhdr, string frame) =>
        new(FrameErrorKind.WrongMessageType, string.Create(CultureInfo.InvariantCulture, $"MHDR 0x{mhdr:X2} is not a {frame}."));

    public static FrameError InvalidField(string message) => new(FrameErrorKind.InvalidField, message);

    public static FrameError MicMismatch(string frame) => new(FrameErrorKind.MicMismatch, $"{frame} MIC does not verify.");

    public override string ToString() => Message;
}

/// <summary>Either a decoded value or a <see cref="FrameError"/>; no exceptions on bad input, no allocation on success.</summary>
public readonly struct FrameResult<T>
    where T : struct
{
    private readonly T _value;

    private FrameResult(T value, FrameError? error)
    {
        _value = value;
        Error = error;
    }

    public FrameError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws <see cref="InvalidOperationException"/> with the error message when there is none.</summary>
    public T Value => Error is null ? _value : throw new InvalidOperationException(Error.Message);

    public bool TryGetValue(out T value, [NotNullWhen(false)] out FrameError? error)
    {
        value = _value;
        error = Error;
        return error is null;
    }

    public static implicit operator FrameResult<T>(T value) => new(value, null);

    public static implicit operator FrameResult<T>(FrameError error) => new(default, error);

    public override string ToString() => Error is null ? $"Ok({_value})" : $"Error({Error.Message})";
}
