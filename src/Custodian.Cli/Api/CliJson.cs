using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.Cli.Api;

/// <summary>JSON as the server speaks it (camelCase, nulls left out) and as the CLI prints it.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Relaxed escaping: output goes to a terminal or a pipe, never into HTML, so '+' and non-ASCII stay readable.
    private static readonly JsonSerializerOptions Printed = new(Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Prints a server answer (or anything serialisable) for scripts: indented JSON, one value.</summary>
    public static void Write<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Printed));
}
