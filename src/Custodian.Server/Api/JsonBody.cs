using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Custodian.Core.Errors;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Api;

/// <summary>
/// Reads request bodies with precise, secret-free errors: a malformed body names the JSON path, line and byte
/// where reading stopped (never the text there, which could be a key).
/// </summary>
internal sealed class JsonBody(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> options)
{
    public JsonSerializerOptions SerializerOptions { get; } = options.Value.SerializerOptions;

    public async Task<(T? Value, CustodianFailure? Failure)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, SerializerOptions, request.HttpContext.RequestAborted);
            return value is null
                ? (null, CustodianErrors.InvalidRequest.With("The body is empty or null; expected a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, Malformed(exception, "The body"));
        }
    }

    /// <summary>Reads the body as a JSON object, left untyped for a caller that checks it field by field.</summary>
    public async Task<(JsonElement? Value, CustodianFailure? Failure)> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, SerializerOptions, request.HttpContext.RequestAborted);
            if (value.ValueKind != JsonValueKind.Object)
            {
                return (null, CustodianErrors.InvalidRequest.With($"The body is {Describe(value.ValueKind)}; expected a JSON object."));
            }
            return IsUnicode(value)
                ? (value, null)
                : (null, CustodianErrors.InvalidRequest.With("The body holds a string that is not Unicode text (invalid UTF-8, or an unpaired surrogate escape such as \\ud800)."));
        }
        catch (JsonException exception)
        {
            return (null, Malformed(exception, "The body"));
        }
    }

    /// <summary>
    /// An untyped element checks its strings' UTF-8 and escapes only when one is read, which would throw deep in a
    /// handler (a 500); the typed reads above report the same as a <see cref="JsonException"/>. Fuzzing found it.
    /// </summary>
    private static bool IsUnicode(JsonElement element)
    {
        try
        {
            Visit(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static void Visit(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        Visit(property.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Visit(item);
                    }
                    break;
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
            }
        }
    }

    /// <summary>Converts one element of a larger body (a batch item), with the same errors.</summary>
    public bool TryConvert<T>(JsonElement element, string what, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out CustodianFailure? failure)
        where T : class
    {
        value = null;
        failure = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            failure = CustodianErrors.InvalidRequest.With($"{what} is {element.ValueKind.ToString().ToLowerInvariant()}; expected a JSON object.");
            return false;
        }
        try
        {
            value = element.Deserialize<T>(SerializerOptions)!;
            return true;
        }
        catch (JsonException exception)
        {
            failure = Malformed(exception, what);
            return false;
        }
    }

    /// <summary>A JSON value's kind in words: "an array", "a number"…</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        _ => "nothing",
    };

    private static CustodianFailure Malformed(JsonException exception, string what)
    {
        var where = exception.Path is { Length: > 1 } path ? $" at {path}" : "";
        var position = exception.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {exception.BytePositionInLine + 1})")
            : "";
        return CustodianErrors.InvalidRequest.With($"{what} is not valid JSON for this call{where}{position}: malformed JSON, or a value of the wrong type.");
    }
}
