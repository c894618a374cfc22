using System.Text.Json;

namespace Custodian.BackendInterfaces.Json;

/// <summary>
/// Thrown by our converters with a problem phrased without its subject ("must be 1 byte, got 2");
/// the parser puts the field's name in front. It derives from <see cref="JsonException"/> so that
/// System.Text.Json fills in the path and rethrows it unchanged.
/// </summary>
public sealed class FieldFormatException : JsonException
{
    public FieldFormatException(string problem)
        : base(problem)
    {
    }

    /// <summary>A problem with <paramref name="member"/> inside the field a converter reads as a whole (a KeyEnvelope's AESKey).</summary>
    public FieldFormatException(string member, string problem)
        : base(problem)
    {
        Member = member;
    }

    public string? Member { get; }

    public FieldFormatException()
    {
    }

    public FieldFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
