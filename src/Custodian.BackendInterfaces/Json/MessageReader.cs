using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Custodian.BackendInterfaces.Json;

/// <summary>
/// Reads a message in three steps, so that each failure can be told apart: the JSON itself
/// (unreadable: HTTP 400), the header (to know whom to answer and in which protocol version),
/// then the message type's own fields (malformed: a Result).
/// </summary>
internal static class MessageReader
{
    private static readonly BackendInterfacesJsonContext Context = BackendInterfacesJsonContext.Default;

    // Values are matched exactly, as Go peers do; only field names are matched without case.
    private static readonly Dictionary<string, JsonTypeInfo> TypesByName = new(StringComparer.Ordinal)
    {
        [MessageTypes.JoinReq] = Context.JoinReq,
        [MessageTypes.JoinAns] = Context.JoinAns,
        [MessageTypes.RejoinReq] = Context.RejoinReq,
        [MessageTypes.RejoinAns] = Context.RejoinAns,
        [MessageTypes.AppSKeyReq] = Context.AppSKeyReq,
        [MessageTypes.AppSKeyAns] = Context.AppSKeyAns,
        [MessageTypes.HomeNSReq] = Context.HomeNSReq,
        [MessageTypes.HomeNSAns] = Context.HomeNSAns,
        [MessageTypes.ErrorNotif] = Context.ErrorNotif,
    };

    public static ParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        // JsonDocument checks UTF-8 only when a string is read, which would surface as a
        // malformed field; a body that is not UTF-8 is not JSON at all.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return Unreadable("The body is not valid UTF-8.");
        }
        if (FindUnpairedSurrogateEscape(utf8Json) is { } position)
        {
            return Unreadable($"The body has an unpaired UTF-16 surrogate escape (at byte {position + 1}): it is not Unicode text.");
        }
        if (TryParseValid(utf8Json) is { } message)
        {
            return ParseResult.Success(message);
        }
        JsonDocument document;
        try
        {
            // JsonDocument keeps the memory it parses, hence the copy.
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            return Unreadable($"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? ParseObject(document.RootElement)
                : Unreadable("The body is not a JSON object.");
        }
    }

    /// <summary>
    /// The fast path for a well-formed message (every join): straight from the bytes, about three times
    /// faster than through a <see cref="JsonDocument"/>. Anything it does not read cleanly goes the slow
    /// path, which finds and names the problem; both read valid messages alike.
    /// </summary>
    private static BackendInterfacesMessage? TryParseValid(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var header = JsonSerializer.Deserialize(utf8Json, Context.MessageHeader);
            if (header?.Version is null || IdTooLong(header) is not null || !TypesByName.TryGetValue(header.MessageType, out var typeInfo))
            {
                return null;
            }
            return JsonSerializer.Deserialize(utf8Json, typeInfo) as BackendInterfacesMessage;
        }
        catch (Exception)
        {
            // Whatever failed, the slow path reads it again and says what is wrong.
            return null;
        }
    }

    /// <summary>
    /// JSON's grammar allows an escape such as <c>\ud800</c> that no string can hold; refused up front,
    /// such a name or value would otherwise fail wherever it is first read or written.
    /// </summary>
    private static long? FindUnpairedSurrogateEscape(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IndexOf("\\u"u8) < 0)
        {
            return null;
        }
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return reader.TokenStartIndex;
        }
        catch (JsonException)
        {
            // Not JSON at all: the parse that follows says where.
        }
        return null;
    }

    private static ParseResult ParseObject(JsonElement root)
    {
        if (Read<MessageHeader>(root, Context.MessageHeader, out var header) is { } headerProblem)
        {
            return Failure(ParseErrorKind.MalformedField, headerProblem, null);
        }
        if (IdTooLong(header) is { } tooLong)
        {
            // No answer: it would carry the over-long ID back as its ReceiverID.
            return Failure(ParseErrorKind.MalformedField, tooLong, null);
        }
        if (header.Version is null)
        {
            return Failure(ParseErrorKind.UnsupportedProtocolVersion, "ProtocolVersion must be 1.0 or 1.1.", header);
        }
        if (!TypesByName.TryGetValue(header.MessageType, out var typeInfo))
        {
            return Failure(ParseErrorKind.UnsupportedMessageType, "MessageType is not one this Join Server serves.", header);
        }
        return Read<BackendInterfacesMessage>(root, typeInfo, out var message) is { } problem
            ? Failure(ParseErrorKind.MalformedField, problem, header)
            : ParseResult.Success(message);
    }

    /// <summary>
    /// SenderID and ReceiverID are free text (an AS-ID is); capped here, so that no peer-chosen text of any
    /// length reaches an answer, a log or an audit event.
    /// </summary>
    private static string? IdTooLong(MessageHeader header) =>
        header.SenderID.Length > BackendInterfacesMessage.MaxIdLength ? $"SenderID is longer than {BackendInterfacesMessage.MaxIdLength} characters."
        : header.ReceiverID.Length > BackendInterfacesMessage.MaxIdLength ? $"ReceiverID is longer than {BackendInterfacesMessage.MaxIdLength} characters."
        : null;

    /// <summary>Deserializes one type; returns our own description of what is wrong, or null.</summary>
    private static string? Read<T>(JsonElement element, JsonTypeInfo typeInfo, out T value)
        where T : class
    {
        value = null!;
        try
        {
            value = (T)JsonSerializer.Deserialize(element, typeInfo)!;
            return null;
        }
        catch (Exception) when (MissingField(element, typeInfo, "") is { } missing)
        {
            // Looked for only once deserializing failed: the search costs more than a whole parse.
            return $"{missing} is missing.";
        }
        catch (FieldFormatException e)
        {
            var field = e.Member is null ? FieldName(e.Path) : $"{FieldName(e.Path)}.{e.Member}";
            return $"{field} {e.Message}.";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // System.Text.Json's own text names CLR types; say what the field should be instead.
            var path = (e as JsonException)?.Path;
            return $"{FieldName(path)} must be {Expected(typeInfo, path)}.";
        }
    }

    /// <summary>
    /// Finds a required field that is absent or null, in this object or in the objects it contains
    /// (Result, key envelopes), before System.Text.Json would throw its own message.
    /// </summary>
    private static string? MissingField(JsonElement element, JsonTypeInfo typeInfo, string prefix)
    {
        foreach (var property in typeInfo.Properties)
        {
            var found = TryGetProperty(element, property.Name, out var value) && value.ValueKind != JsonValueKind.Null;
            if (property.IsRequired && !found)
            {
                return prefix + property.Name;
            }
            if (found && value.ValueKind == JsonValueKind.Object && IsOurs(property.PropertyType)
                && MissingField(value, typeInfo.Options.GetTypeInfo(property.PropertyType), $"{prefix}{property.Name}.") is { } inner)
            {
                return inner;
            }
        }
        return null;
    }

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static bool IsOurs(Type type) => type.IsClass && type.Assembly == typeof(MessageReader).Assembly;

    /// <summary>"$.Result.ResultCode" becomes "Result.ResultCode".</summary>
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "The message" : path.TrimStart('$', '.');

    /// <summary>What the field at <paramref name="path"/> should hold, from the type metadata.</summary>
    private static string Expected(JsonTypeInfo typeInfo, string? path)
    {
        Type? type = null;
        foreach (var segment in FieldName(path).Split('.'))
        {
            var property = typeInfo.Properties.FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                return "a valid value";
            }
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            typeInfo = typeInfo.Options.GetTypeInfo(type);
        }
        return type switch
        {
            null => "a JSON object",
            _ when type == typeof(byte) => "a number from 0 to 255",
            _ when type == typeof(uint) => "a number from 0 to 4294967295",
            _ when type == typeof(string) => "a string",
            _ when type.IsClass => "a JSON object",
            _ => "a valid value",
        };
    }

    private static ParseResult Unreadable(string message) => Failure(ParseErrorKind.UnreadableJson, message, null);

    private static ParseResult Failure(ParseErrorKind kind, string message, MessageHeader? header) =>
        ParseResult.Failure(new ParseError(kind, message, header));
}
