using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Custodian.Server.Tests.Fuzz;

/// <summary>
/// Makes hostile request bodies from well-formed seeds, from a seeded <see cref="Random"/>: JSON-aware mutations (a
/// value of the wrong type, a huge or negative number, a deep nest, a dropped or doubled field) and byte mutations
/// (bit flips, truncation, invalid UTF-8, a NUL), sometimes stacked.
/// </summary>
internal sealed class RequestMutator(Random random)
{
    private static readonly string[] Seeds =
    [
        """{"joinEui":"70B3D57ED0000000","devEui":"00000000000F0001","claimCode":"FUZZ0001"}""",
        """{"qr":"LW:D0:70B3D57ED0000000:00000000000F0001:42FFFF42:OFUZZ0001"}""",
        """{"joinEui":"70b3d57ed0000000","devEui":"00000000000F0002","macVersion":"1.0.3","appKey":"000102030405060708090A0B0C0D0E0F","claimCode":"FUZZ0002"}""",
        """{"devices":[{"joinEui":"70b3d57ed0000000","devEui":"00000000000F0003","macVersion":"1.1"}]}""",
        """{"claims":[{"joinEui":"70B3D57ED0000000","devEui":"00000000000F0001","claimCode":"FUZZ0001"}]}""",
        """{"id":"fuzz-tenant","name":"Fuzz"}""",
        """{"name":"fuzz","rights":["devices:read","devices:claim"]}""",
        """{"netId":"000013","nsId":"70B3D57ED0000013","name":"fuzz","kek":{"label":"fuzz","key":"000102030405060708090A0B0C0D0E0F"}}""",
        """{"asId":"fuzz-as","kek":{"label":"as","key":"000102030405060708090A0B0C0D0E0F"}}""",
        """{"claimCode":"FUZZ0001","homeNetId":"000013","homeNsId":"70B3D57ED0000013","asId":"fuzz-as"}""",
        """{"ProtocolVersion":"1.1","SenderID":"000013","ReceiverID":"70B3D57ED0000000","TransactionID":7,"MessageType":"JoinReq","MACVersion":"1.0.3","PHYPayload":"0000000000d0e57b70010f000000000000303090cb3ed4","DevEUI":"00000000000F0001","DevAddr":"01020304","DLSettings":"00","RxDelay":1,"CFList":""}""",
        """{"ProtocolVersion":"1.1","SenderID":"000013","ReceiverID":"70B3D57ED0000000","TransactionID":8,"MessageType":"HomeNSReq","DevEUI":"00000000000F0001"}""",
        "dev_eui,join_eui,claim_authentication_code\n00000000000F0001,70B3D57ED0000000,FUZZ0001\n",
        "[{\"ids\":{\"dev_eui\":\"00000000000F0001\",\"join_eui\":\"70B3D57ED0000000\"},\"claim_authentication_code\":{\"value\":\"FUZZ0001\"}}]",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json; charset=utf-8", "text/csv", "text/plain",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin1", "",
    ];

    private static readonly string[] QueryNames = ["limit", "cursor", "after", "page", "pageSize", "since", "type", "devEui", "joinEui", "tenant", "format", "size"];

    public string ContentType() => ContentTypes[random.Next(ContentTypes.Length)];

    public byte[] Body()
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        var body = seed.StartsWith('{') && random.Next(3) > 0 ? MutateJson(JsonNode.Parse(seed)!) : Encoding.UTF8.GetBytes(seed);
        var byteMutations = random.Next(3);
        for (var i = 0; i < byteMutations; i++)
        {
            body = MutateBytes(body);
        }
        return body;
    }

    /// <summary>A value for a route parameter or a query string: a good one, or hex of the wrong length, junk, a huge number.</summary>
    public string Value(string? good) => random.Next(8) switch
    {
        0 or 1 when good is not null => good,
        2 => Convert.ToHexString(RandomBytes(random.Next(0, 12))),
        3 => new string('F', 1 + random.Next(5000)),
        4 => Huge(),
        5 => "%00%FF%C3%28/../",
        6 => "-1",
        _ => Encoding.UTF8.GetString(RandomBytes(1 + random.Next(16))),
    };

    public string Query()
    {
        if (random.Next(3) == 0)
        {
            return "";
        }
        var parts = Enumerable.Range(0, 1 + random.Next(3))
            .Select(_ => $"{QueryNames[random.Next(QueryNames.Length)]}={Uri.EscapeDataString(Value(null))}");
        return "?" + string.Join('&', parts);
    }

    private byte[] MutateJson(JsonNode root)
    {
        var steps = 1 + random.Next(3);
        for (var i = 0; i < steps; i++)
        {
            var objects = Objects(root).ToList();
            var target = objects[random.Next(objects.Count)];
            var names = target.Select(p => p.Key).ToList();
            if (names.Count == 0)
            {
                continue;
            }
            var name = names[random.Next(names.Count)];
            switch (random.Next(6))
            {
                case 0:
                    target.Remove(name);
                    break;
                case 1:
                    target[name] = OtherValue();
                    break;
                case 2:
                    target[name] = NestMarker;
                    break;
                case 3:
                    target[name.ToUpperInvariant() + "_"] = target[name]?.DeepClone();
                    break;
                case 4:
                    target[name] = JsonValue.Create(new string('A', random.Next(2) == 0 ? 64 : 200_000));
                    break;
                default:
                    target[name] = JsonNode.Parse(Huge());
                    break;
            }
        }
        // A deep nest is spliced in as text: JsonNode would refuse to write what the server must refuse to read.
        var text = root.ToJsonString().Replace($"\"{NestMarker}\"", Nest(random.Next(2) == 0 ? 70 : 2_000), StringComparison.Ordinal);
        // Duplicate keys are not something JsonNode can hold: written by hand.
        return Encoding.UTF8.GetBytes(random.Next(10) == 0 && text.StartsWith('{') ? text.Insert(1, "\"devEui\":1,") : text);
    }

    private static IEnumerable<JsonObject> Objects(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Objects).Prepend(o),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Objects),
        _ => [],
    };

    private JsonNode? OtherValue() => random.Next(7) switch
    {
        0 => null,
        1 => JsonValue.Create(true),
        2 => JsonValue.Create(random.Next(2) == 0 ? -1 : 0),
        3 => new JsonArray(JsonValue.Create("x"), JsonValue.Create(1)),
        4 => new JsonObject { ["value"] = "x" },
        5 => JsonValue.Create(""),
        _ => JsonValue.Create("\u0000\uFFFD\u202E"),
    };

    private const string NestMarker = "__deep_nest__";

    private static string Nest(int depth) => string.Concat(string.Concat(Enumerable.Repeat("[", depth)), "1", string.Concat(Enumerable.Repeat("]", depth)));

    private string Huge() => random.Next(4) switch
    {
        0 => "1" + new string('0', 400),
        1 => "-9223372036854775809",
        2 => "1e999",
        _ => "18446744073709551616",
    };

    private byte[] MutateBytes(byte[] body)
    {
        if (body.Length == 0)
        {
            return [0xFF];
        }
        var bytes = (byte[])body.Clone();
        var at = random.Next(bytes.Length);
        switch (random.Next(5))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..at];
            case 2:
                // Invalid UTF-8: a lone continuation byte, an overlong form, a truncated sequence, a surrogate.
                byte[][] invalid = [[0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xFF]];
                return [.. bytes[..at], .. invalid[random.Next(invalid.Length)], .. bytes[at..]];
            case 3:
                bytes[at] = 0;
                return bytes;
            default:
                return [.. bytes[..at], .. Encoding.UTF8.GetBytes("\\ud800"), .. bytes[at..]];
        }
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    public static string Describe(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length <= 600 ? text : string.Concat(text.AsSpan(0, 600), $"… ({body.Length.ToString(CultureInfo.InvariantCulture)} bytes)");
    }
}
