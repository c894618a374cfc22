using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodian.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodian.BackendInterfaces.Tests;

/// <summary>
/// <see cref="BackendInterfacesMessage.Parse"/> never throws: any body gives either a message that
/// writes back to JSON reading as the same message, or a <see cref="ParseError"/> whose message is
/// our own text (it goes to the peer as a Result Description), never System.Text.Json's. Inputs start
/// from the real requests and answers in the shared vectors, with fields dropped, retyped and renamed,
/// hex corrupted, the text truncated and its bytes damaged; and random bytes and random objects.
/// </summary>
public sealed class ParseRobustnessTests
{
    private const int Cases = 1000;

    /// <summary>Fragments of .NET exception text (System.Text.Json's messages, CLR type names, its path suffix).</summary>
    private static readonly string[] ForeignText =
        ["System.", "Exception", "Path:", "LineNumber", "BytePosition", "Custodian.", "token type", "could not be converted", "JsonTokenType", "Nullable"];

    [Fact]
    public void Every_vector_message_is_read()
    {
        BiArbitraries.Bases.Should().HaveCountGreaterThanOrEqualTo(10);
        foreach (var json in BiArbitraries.Bases)
        {
            var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(json));
            result.Error.Should().BeNull(json);
            ShouldRoundTrip(result.Message!);
        }
    }

    [Property(Arbitrary = [typeof(BiArbitraries)], MaxTest = Cases)]
    public void Any_body_is_read_or_refused_in_our_own_words(BiBody input)
    {
        var result = BackendInterfacesMessage.Parse(input.Bytes);

        (result.Message is null).Should().Be(result.Error is not null, "a result is a message or an error, never both or neither");
        if (result.IsSuccess)
        {
            ShouldHaveEveryRequiredField(input.Bytes, result.Message);
            ShouldRoundTrip(result.Message);
            return;
        }
        ShouldBeOurOwnError(result.Error);
    }

    [Property(Arbitrary = [typeof(BiArbitraries)], MaxTest = Cases)]
    public void A_field_of_the_wrong_JSON_type_is_named(BiFieldCase input)
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(input.Json));

        result.IsSuccess.Should().BeFalse();
        ShouldBeOurOwnError(result.Error!);
        result.Error!.Kind.Should().Be(ParseErrorKind.MalformedField);
        result.Error.Message.Should().StartWith($"{input.Field} must be ");
    }

    [Property(Arbitrary = [typeof(BiArbitraries)], MaxTest = Cases)]
    public void Corrupted_hex_is_named(BiHexCase input)
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(input.Json));

        result.IsSuccess.Should().BeFalse();
        ShouldBeOurOwnError(result.Error!);
        result.Error!.Kind.Should().Be(ParseErrorKind.MalformedField);
        result.Error.Message.Should().StartWith($"{input.Field} must ").And.Contain("hex");
    }

    /// <summary>Each required field, absent or null, is reported by name, never read as a zero value.</summary>
    [Fact]
    public void Every_required_field_absent_or_null_is_named()
    {
        foreach (var json in BiArbitraries.Bases)
        {
            var message = JsonNode.Parse(json)!.AsObject();
            foreach (var (path, _) in BiArbitraries.Properties(message).Where(p => BiArbitraries.IsRequired(message, p.Path)).ToList())
            {
                foreach (var mutation in new Func<JsonObject, string, bool>[] { BiArbitraries.Remove, (o, p) => BiArbitraries.Replace(o, p, null) })
                {
                    var copy = JsonNode.Parse(json)!.AsObject();
                    mutation(copy, path);
                    var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(copy.ToJsonString()));

                    result.Error.Should().NotBeNull($"{path} is required in {json}");
                    result.Error!.Kind.Should().Be(ParseErrorKind.MalformedField);
                    result.Error.Message.Should().Be($"{path} is missing.");
                    ShouldBeOurOwnError(result.Error);
                }
            }
        }
    }

    /// <summary>
    /// Finding: a property name holding an unpaired surrogate escape makes Parse throw
    /// InvalidOperationException ("Cannot read incomplete UTF-16 JSON text as string…"):
    /// MessageReader.MissingField → TryGetProperty reads JsonProperty.Name outside any try/catch.
    /// Any object level it inspects is affected: the message itself, and Result or a key envelope.
    /// </summary>
    [Theory]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"\udc00":1}""")]
    [InlineData("""{"ProtocolVersion":"1.1","SenderID":"a","ReceiverID":"b","MessageType":"HomeNSReq","DevEUI":"0102030405060708","X\ud800":1}""")]
    [InlineData("""{"ProtocolVersion":"1.1","SenderID":"a","ReceiverID":"b","MessageType":"ErrorNotif","Result":{"\ud800":1}}""")]
    public void A_name_with_an_unpaired_surrogate_escape_is_read_or_refused_never_thrown(string json)
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(json));

        if (result.IsSuccess)
        {
            ShouldRoundTrip(result.Message);
            return;
        }
        ShouldBeOurOwnError(result.Error);
    }

    /// <summary>
    /// Finding: VSExtension.Object is kept as a JsonElement, so an unpaired surrogate escape in it
    /// (in a value or a name) is accepted, but the message then cannot be written: ToJson throws
    /// InvalidOperationException ("Cannot read incomplete UTF-16 JSON text…", from JsonDocument.WriteElementTo),
    /// ToUtf8Json a JsonException ("The object or value could not be serialized. Path: $.VSExtension.Object.").
    /// </summary>
    [Theory]
    [InlineData("""{"ProtocolVersion":"1.1","SenderID":"a","ReceiverID":"b","MessageType":"HomeNSReq","DevEUI":"0102030405060708","VSExtension":{"Object":"\ud800"}}""")]
    [InlineData("""{"ProtocolVersion":"1.1","SenderID":"a","ReceiverID":"b","MessageType":"HomeNSReq","DevEUI":"0102030405060708","VSExtension":{"Object":{"\udc00":1}}}""")]
    public void A_VSExtension_object_with_an_unpaired_surrogate_escape_is_refused_or_written_back(string json)
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(json));

        if (result.IsSuccess)
        {
            ShouldRoundTrip(result.Message);
            return;
        }
        ShouldBeOurOwnError(result.Error);
    }

    private static void ShouldBeOurOwnError(ParseError error)
    {
        Enum.IsDefined(error.Kind).Should().BeTrue();
        error.Message.Should().NotBeNullOrWhiteSpace();
        ForeignText.Where(fragment => error.Message.Contains(fragment, StringComparison.Ordinal))
            .Should().BeEmpty($"the message '{error.Message}' goes to the peer and must be our own text");
        error.Message.Should().EndWith(".");
        // Whether there is a header to answer follows from the kind.
        switch (error.Kind)
        {
            case ParseErrorKind.UnreadableJson:
                error.Header.Should().BeNull();
                break;
            case ParseErrorKind.UnsupportedProtocolVersion or ParseErrorKind.UnsupportedMessageType:
                error.Header.Should().NotBeNull();
                break;
        }
        // The refusal can always be answered (or is HTTP 400), and the answer can be written.
        var answer = error.Answer();
        (answer is null).Should().Be(error.ResultCode is null);
        if (answer is not null)
        {
            using var written = JsonDocument.Parse(answer.ToUtf8Json());
            written.RootElement.GetProperty("Result").GetProperty("Description").GetString().Should().Be(error.Message);
        }
    }

    /// <summary>What was read writes back as JSON that reads as the same message, and that JSON is a fixed point.</summary>
    private static void ShouldRoundTrip(BackendInterfacesMessage message)
    {
        message.Version.Should().NotBeNull();
        message.GetType().Name.Should().BeEquivalentTo(message.MessageType);
        var json = message.ToJson();
        var again = BackendInterfacesMessage.Parse(message.ToUtf8Json());
        again.Error.Should().BeNull(json);
        again.Message.Should().BeOfType(message.GetType());
        again.Message!.ToJson().Should().Be(json);
    }

    /// <summary>A message read has every field the specification requires, present and non-null in the body.</summary>
    private static void ShouldHaveEveryRequiredField(byte[] body, BackendInterfacesMessage message)
    {
        using var document = JsonDocument.Parse(body);
        foreach (var name in BiArbitraries.RequiredFields(message.GetType().Name))
        {
            document.RootElement.EnumerateObject()
                .Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null)
                .Should().BeTrue($"{name} is required in a {message.GetType().Name}");
        }
    }
}

/// <summary>A body as sent; printed as text when it is UTF-8, else as hex, so that a failure is its own reproduction.</summary>
public sealed record BiBody(byte[] Bytes)
{
    public override string ToString() =>
        System.Text.Unicode.Utf8.IsValid(Bytes) ? JsonSerializer.Serialize(Encoding.UTF8.GetString(Bytes)) : $"hex {Convert.ToHexString(Bytes)}";
}

/// <summary>A vector message with one field (a dotted path) given a value of a JSON type it cannot hold.</summary>
public sealed record BiFieldCase(string Field, string Json)
{
    public override string ToString() => $"{Field} in {Json}";
}

/// <summary>A vector message with the hex of one field corrupted (a non-hex digit, an odd length, a space inside).</summary>
public sealed record BiHexCase(string Field, string Json)
{
    public override string ToString() => $"{Field} in {Json}";
}

public static class BiArbitraries
{
    /// <summary>
    /// Every valid request and answer object of the shared vectors (the messages, not the bare JSON-codec
    /// samples; the result-code vectors are left out, as some of their requests are malformed on purpose).
    /// </summary>
    public static IReadOnlyList<string> Bases { get; } = Messages(v => v.Kind != "bi-result-code");

    /// <summary>The vector messages that carry hex (not every answer does), for <see cref="BiHexCases"/>.</summary>
    private static string[] HexBases => [.. Bases.Where(json => HexCandidates(JsonNode.Parse(json)!.AsObject()).Any())];

    /// <summary>Every vector message, malformed ones included: seeds for the mutations.</summary>
    private static string[] Seeds => [.. Messages(_ => true)];

    private static List<string> Messages(Func<Vector, bool> include) =>
    [
        .. Vectors.All("backend-interfaces.json")
            .Where(include)
            .SelectMany(v => new[] { "request", "json" }.Select(name => v.Inputs.TryGetProperty(name, out var e) ? e : default))
            .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("MessageType", out _))
            .Select(e => e.GetRawText())
            .Distinct(),
    ];

    private static readonly string[] HeaderFields = ["ProtocolVersion", "SenderID", "ReceiverID", "MessageType"];

    private static readonly HashSet<string> NumberFields = ["TransactionID", "RxDelay", "Lifetime"];

    private static readonly HashSet<string> ObjectFields = ["Result", "NwkSKey", "AppSKey", "FNwkSIntKey", "SNwkSIntKey", "NwkSEncKey", "VSExtension"];

    private static readonly HashSet<string> HexFields =
    [
        "DevEUI", "DevAddr", "PHYPayload", "DLSettings", "CFList", "SenderNSID", "ReceiverNSID", "SenderToken", "ReceiverToken",
        "SessionKeyID", "HNSID", "HNetID", "AESKey",
    ];

    private static readonly string[] KnownNames =
    [
        .. HeaderFields, .. NumberFields, .. ObjectFields, .. HexFields, "MACVersion", "KEKLabel", "ResultCode", "Description", "VendorID", "Object",
    ];

    private static readonly string[] MessageTypes =
        ["JoinReq", "JoinAns", "RejoinReq", "RejoinAns", "AppSKeyReq", "AppSKeyAns", "HomeNSReq", "HomeNSAns", "ErrorNotif", "joinreq", "PRStartReq", "XmitDataReq", ""];

    /// <summary>The fields TS002 requires in each message this library reads.</summary>
    public static IEnumerable<string> RequiredFields(string messageType) => HeaderFields.Concat(messageType switch
    {
        "JoinReq" or "RejoinReq" => ["MACVersion", "PHYPayload", "DevEUI", "DevAddr", "DLSettings", "RxDelay"],
        "AppSKeyReq" => ["DevEUI", "SessionKeyID"],
        "HomeNSReq" => ["DevEUI"],
        _ => ["Result"],
    });

    public static bool IsRequired(JsonObject message, string path)
    {
        var parts = path.Split('.');
        return parts.Length == 1
            ? RequiredFields((string)message["MessageType"]!).Contains(path)
            : parts[^1] is "ResultCode" or "AESKey";
    }

    public static Arbitrary<BiBody> BiBodies() =>
        Gen.Frequency(
            (14, Gen.Frequency(
                    (2, Gen.Elements(Seeds)),
                    (10, from json in Gen.Elements(Seeds) from seed in Gen.Choose(0, int.MaxValue) select MutateTree(json, seed)),
                    (2, RandomObjects),
                    (1, Gen.Elements("{}", "[]", "null", "1", "\"JoinReq\"", "", " ", "{\"MessageType\":\"JoinReq\"}")))
                .SelectMany(json => Gen.Frequency(
                    (6, Gen.Constant(Encoding.UTF8.GetBytes(json))),
                    (3, Gen.Choose(0, int.MaxValue).Select(seed => MutateText(Encoding.UTF8.GetBytes(json), seed)))))),
            (1, RandomBytes))
        .Select(bytes => new BiBody(bytes))
        .ToArbitrary();

    public static Arbitrary<BiFieldCase> BiFieldCases() =>
        (from json in Gen.Elements(Bases.ToArray())
         from seed in Gen.Choose(0, int.MaxValue)
         select WrongType(json, new Random(seed))).ToArbitrary();

    public static Arbitrary<BiHexCase> BiHexCases() =>
        (from json in Gen.Elements(HexBases)
         from seed in Gen.Choose(0, int.MaxValue)
         select CorruptHex(json, new Random(seed))).ToArbitrary();

    /// <summary>Every property of the object and of the objects inside it, as dotted paths with their values.</summary>
    public static IEnumerable<(string Path, JsonNode? Value)> Properties(JsonObject root, string prefix = "")
    {
        foreach (var (name, value) in root)
        {
            yield return (prefix + name, value);
            if (value is JsonObject inner && name != "VSExtension")
            {
                foreach (var nested in Properties(inner, $"{prefix}{name}."))
                {
                    yield return nested;
                }
            }
        }
    }

    public static bool Remove(JsonObject root, string path) => Parent(root, path, out var name) is { } parent && parent.Remove(name);

    public static bool Replace(JsonObject root, string path, JsonNode? value)
    {
        if (Parent(root, path, out var name) is not { } parent)
        {
            return false;
        }
        parent[name] = value;
        return true;
    }

    private static JsonObject? Parent(JsonObject root, string path, out string name)
    {
        var parts = path.Split('.');
        name = parts[^1];
        JsonObject? parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent?[part] as JsonObject;
        }
        return parent;
    }

    private static Gen<byte[]> RandomBytes =>
        from length in Gen.Choose(0, 64)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), length)
        select bytes;

    /// <summary>Objects of known field names with values of any JSON type, led by a real header most of the time.</summary>
    private static Gen<string> RandomObjects =>
        from seed in Gen.Choose(0, int.MaxValue)
        select RandomObject(new Random(seed));

    private static string RandomObject(Random random)
    {
        var message = new JsonObject();
        if (random.Next(4) > 0)
        {
            message["ProtocolVersion"] = random.Next(2) == 0 ? "1.0" : "1.1";
            message["SenderID"] = "42FFFF";
            message["ReceiverID"] = "70B3D57ED0000000";
            message["MessageType"] = MessageTypes[random.Next(MessageTypes.Length)];
        }
        for (var n = random.Next(12); n > 0; n--)
        {
            message[KnownNames[random.Next(KnownNames.Length)]] = RandomValue(random, 0);
        }
        return message.ToJsonString();
    }

    /// <summary>One to three structural mutations of a vector message.</summary>
    private static string MutateTree(string json, int seed)
    {
        var random = new Random(seed);
        var message = JsonNode.Parse(json)!.AsObject();
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            var properties = Properties(message).ToList();
            if (properties.Count == 0)
            {
                break;
            }
            var (path, value) = properties[random.Next(properties.Count)];
            switch (random.Next(10))
            {
                case 0:
                    Remove(message, path);
                    break;
                case 1 or 2:
                    Replace(message, path, RandomValue(random, 0));
                    break;
                case 3 when value is JsonValue text && text.TryGetValue<string>(out var s):
                    Replace(message, path, CorruptText(s, random));
                    break;
                case 4:
                    // The same key in another case: a peer's spelling (names match in any case).
                    Remove(message, path);
                    Replace(message, Recase(path, random), value?.DeepClone());
                    break;
                case 5:
                    // A second key differing in case only, with another value: which one wins?
                    Replace(message, Recase(path, random), random.Next(2) == 0 ? null : RandomValue(random, 0));
                    break;
                case 6:
                    message[KnownNames[random.Next(KnownNames.Length)] + (random.Next(2) == 0 ? "" : "X")] = RandomValue(random, 0);
                    break;
                case 7:
                    message["MessageType"] = random.Next(4) == 0 ? RandomValue(random, 0) : MessageTypes[random.Next(MessageTypes.Length)];
                    break;
                case 8:
                    string[] versions = ["1.0", "1.1", "1.0.0", "1.1.0", "BI1.1", "bi1.0", " 1.1 ", "1.2", "2.0", "", "1"];
                    message["ProtocolVersion"] = random.Next(4) == 0 ? RandomValue(random, 0) : versions[random.Next(versions.Length)];
                    break;
                default:
                    // Deep nesting, beyond what the reader allows.
                    JsonNode? nested = value?.DeepClone();
                    for (var depth = random.Next(1, 80); depth > 0; depth--)
                    {
                        nested = random.Next(2) == 0 ? new JsonArray(nested) : new JsonObject { ["Object"] = nested };
                    }
                    Replace(message, path, nested);
                    break;
            }
        }
        return message.ToJsonString();
    }

    /// <summary>One to three mutations of the bytes of the text: truncation, bit flips, stray JSON punctuation, escapes.</summary>
    private static byte[] MutateText(byte[] bytes, int seed)
    {
        var random = new Random(seed);
        var list = bytes.ToList();
        string[] escapes = ["\\u0000", "\\\"", "\\\\", "\\u00e9", "\\n", "\\u0041", "\\ud83d\\ude00", "\\ud800", "\\udc00"];
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            var at = random.Next(list.Count + 1);
            var some = list.Count == 0 ? 0 : random.Next(list.Count);
            switch (random.Next(9))
            {
                case 0:
                    list.RemoveRange(at, list.Count - at);
                    break;
                case 1 when list.Count > 0:
                    list[some] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    const string Punctuation = "{}[]\":,\\ 0-.eE";
                    list.Insert(at, (byte)Punctuation[random.Next(Punctuation.Length)]);
                    break;
                case 3:
                    list.InsertRange(at, Encoding.UTF8.GetBytes(escapes[random.Next(escapes.Length)]));
                    break;
                case 4 when list.Count > 0:
                    // An escape at the end of a key, where the reader looks names up.
                    var keyEnds = Enumerable.Range(0, list.Count - 1).Where(i => list[i] == '"' && list[i + 1] == ':').ToList();
                    if (keyEnds.Count > 0)
                    {
                        list.InsertRange(keyEnds[random.Next(keyEnds.Count)], Encoding.UTF8.GetBytes(escapes[random.Next(escapes.Length)]));
                    }
                    break;
                case 5 when list.Count > 0:
                    list.RemoveAt(some);
                    break;
                case 6 when list.Count > 0:
                    list.InsertRange(some, list.GetRange(some, 1 + random.Next(Math.Min(12, list.Count - some))));
                    break;
                case 7:
                    list.InsertRange(0, random.Next(2) == 0 ? [0xEF, 0xBB, 0xBF] : [(byte)' ', (byte)'\n']);
                    break;
                default:
                    list.Insert(at, (byte)random.Next(256));
                    break;
            }
        }
        return [.. list];
    }

    private static BiFieldCase WrongType(string json, Random random)
    {
        var message = JsonNode.Parse(json)!.AsObject();
        var candidates = Properties(message).ToList();
        var (path, _) = candidates[random.Next(candidates.Count)];
        var name = path.Split('.')[^1];
        JsonNode?[] wrong = NumberFields.Contains(name)
            ? ["5", true, new JsonObject(), new JsonArray(1), -1, 1.5, 4294967296L, 1e30]
            : ObjectFields.Contains(name)
                ? ["x", 5, false, new JsonArray()]
                : [5, true, new JsonObject(), new JsonArray("x"), 0.5];
        var value = wrong[random.Next(wrong.Length)];
        if (name == "RxDelay" && random.Next(3) == 0)
        {
            value = 256;
        }
        Replace(message, path, value);
        return new BiFieldCase(path, message.ToJsonString());
    }

    private static BiHexCase CorruptHex(string json, Random random)
    {
        var message = JsonNode.Parse(json)!.AsObject();
        var candidates = HexCandidates(message).ToList();
        var (path, value) = candidates[random.Next(candidates.Count)];
        var hex = value!.GetValue<string>();
        var corrupted = random.Next(4) switch
        {
            0 => Replace(hex, random.Next(hex.Length), random.Next(2) == 0 ? 'G' : 'g'),
            1 => hex.Remove(random.Next(hex.Length), 1),
            2 => hex.Insert(1 + random.Next(hex.Length - 1), " "),
            _ => Replace(hex, random.Next(hex.Length), "zZ-:é\u00A0"[random.Next(6)]),
        };
        if (random.Next(3) == 0)
        {
            corrupted = "0x" + corrupted;
        }
        Replace(message, path, corrupted);
        return new BiHexCase(path, message.ToJsonString());
    }

    private static IEnumerable<(string Path, JsonNode? Value)> HexCandidates(JsonObject message) =>
        Properties(message).Where(p => HexFields.Contains(p.Path.Split('.')[^1]) && p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length >= 2);

    private static string Replace(string text, int index, char c) => string.Create(text.Length, (text, index, c), (span, state) =>
    {
        state.text.AsSpan().CopyTo(span);
        span[state.index] = state.c;
    });

    private static string Recase(string path, Random random)
    {
        var parts = path.Split('.');
        var last = parts[^1];
        parts[^1] = random.Next(3) switch
        {
            0 => last.ToLowerInvariant(),
            1 => last.ToUpperInvariant(),
            _ => char.IsUpper(last[0]) ? char.ToLowerInvariant(last[0]) + last[1..] : char.ToUpperInvariant(last[0]) + last[1..],
        };
        return string.Join('.', parts);
    }

    /// <summary>A value of any JSON type: valid-looking hex and names, numbers at the edges, containers.</summary>
    private static JsonNode? RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 2 ? 12 : 15))
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return random.Next(-5, 300);
            case 3: return new[] { -1L, 0L, 255L, 256L, uint.MaxValue, 4294967296L, long.MinValue }[random.Next(7)];
            case 4: return new[] { 0.5, -0.0, 1e30, 1.0 }[random.Next(4)];
            case 5: return JsonNode.Parse(new[] { "1e400", "123456789012345678901234567890", "-0", "1E2" }[random.Next(4)]);
            case 6: return RandomHex(random, new[] { 0, 1, 2, 6, 8, 15, 16, 17, 32, 46, 48 }[random.Next(11)]);
            case 7: return "0x" + RandomHex(random, new[] { 2, 6, 8, 16, 32 }[random.Next(5)]);
            case 8: return RandomText(random);
            case 9: return "";
            case 10: return new[] { "1.0.3", "1.1", "Success", "MICFailed", "UnkownReceiver", "JoinReq", "1.0", "as:010042" }[random.Next(8)];
            case 11: return CorruptText(RandomHex(random, 16), random);
            case 12: return new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => RandomValue(random, depth + 1))]);
            default:
                var inner = new JsonObject();
                for (var n = random.Next(4); n > 0; n--)
                {
                    inner[KnownNames[random.Next(KnownNames.Length)]] = RandomValue(random, depth + 1);
                }
                return inner;
        }
    }

    private static string RandomHex(Random random, int digits) =>
        new([.. Enumerable.Range(0, digits).Select(_ => "0123456789ABCDEFabcdef"[random.Next(22)])]);

    /// <summary>Random text without unpaired surrogates (which no JSON writer can write; the text mutations insert their escapes).</summary>
    private static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(12)).Select(_ => (char)random.Next(0x20, 0xD7FF))]);

    private static string CorruptText(string text, Random random) => random.Next(5) switch
    {
        0 when text.Length > 0 => Replace(text, random.Next(text.Length), 'G'),
        1 when text.Length > 0 => text.Remove(random.Next(text.Length), 1),
        2 => " " + text + "\t",
        3 => text.ToLowerInvariant(),
        _ => text + "0",
    };
}
