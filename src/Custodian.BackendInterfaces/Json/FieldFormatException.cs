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

    public FieldFormatException()
    {
    }

    public FieldFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
