using System.Text.Json;

namespace Custodian.ClaimFiles;

/// <summary>
/// Claim rows from JSON: The Things Stack end devices (<c>ids.dev_eui</c>, <c>ids.join_eui</c> or <c>ids.app_eui</c>,
/// <c>claim_authentication_code.value</c>), or claim objects shaped as the API's (<c>joinEui</c>, <c>devEui</c>,
/// <c>claimCode</c>, or <c>qr</c>); in a top-level array or as a concatenated stream. One item is read at a time.
/// </summary>
public static class JsonClaimReader
{
    public const string Expected =
        "an array or stream of The Things Stack end devices (ids.dev_eui, ids.join_eui, claim_authentication_code.value) or of claim objects (joinEui, devEui, claimCode, or qr; or dev_eui, join_eui, claim_authentication_code, qr_code)";

    public static IEnumerable<ClaimRow> Rows(Stream stream)
    {
        using var splitter = new JsonValueSplitter(stream);
        while (splitter.TryNext(out var item, out var line))
        {
            yield return Read(item, line);
        }
    }

    /// <summary>Counts the items (checking the JSON is well formed) without reading their fields.</summary>
    public static long CountRows(Stream stream)
    {
        using var splitter = new JsonValueSplitter(stream);
        long count = 0;
        while (splitter.TryNext(out _, out _))
        {
            count++;
        }
        return count;
    }

    public static ClaimRow Read(ReadOnlyMemory<byte> item, int line)
    {
        using var document = JsonDocument.Parse(item);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ClaimRow.Unreadable(line, $"expected an object, got {Describe(root.ValueKind)}");
        }
        try
        {
            return root.TryGetProperty("ids", out var ids) && ids.ValueKind == JsonValueKind.Object
                ? ReadEndDevice(root, ids, line)
                : ReadClaim(root, line);
        }
        catch (InvalidOperationException)
        {
            // JsonDocument checks a string's UTF-8 and escapes only when it is read (found by fuzzing): a name or
            // value that is not Unicode text fails this row, as invalid UTF-8 fails a CSV row's EUI or code.
            return ClaimRow.Unreadable(line, "the item holds text that is not Unicode (invalid UTF-8, or an unpaired surrogate escape such as \\ud800)");
        }
    }

    private static ClaimRow ReadEndDevice(JsonElement device, JsonElement ids, int line)
    {
        var names = ClaimFieldNames.TheThingsStack;
        var code = device.TryGetProperty("claim_authentication_code", out var cac) && cac.ValueKind == JsonValueKind.Object
            ? Text(cac, "value", names.Code)
            : new Field(null, null);
        var joinEui = Text(ids, "join_eui", names.JoinEui);
        if (joinEui.Value is null && joinEui.Problem is null)
        {
            joinEui = Text(ids, "app_eui", "ids.app_eui");
            names = names with { JoinEui = "ids.join_eui (or ids.app_eui)" };
        }
        var devEui = Text(ids, "dev_eui", names.DevEui);
        return Problem(line, devEui, joinEui, code)
            ?? ClaimRow.Create(line, names, devEui.Value, joinEui.Value, code.Value, qr: null);
    }

    private static ClaimRow ReadClaim(JsonElement claim, int line)
    {
        Field devEui = default, joinEui = default, code = default, qr = default;
        var known = false;
        foreach (var property in claim.EnumerateObject())
        {
            // Case-insensitive, as the API reads its own claim objects; snake_case too, as the CSV columns and
            // `custodian devices provision`'s JSON manifest name them.
            var value = Field.Of(property.Value, property.Name);
            switch (property.Name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant())
            {
                case "DEVEUI":
                    devEui = value;
                    break;
                case "JOINEUI" or "APPEUI":
                    joinEui = value;
                    break;
                case "CLAIMCODE" or "CLAIMAUTHENTICATIONCODE":
                    code = value;
                    break;
                case "QR" or "QRCODE":
                    qr = value;
                    break;
                default:
                    continue;
            }
            known = true;
        }
        if (!known)
        {
            return ClaimRow.Unreadable(line, $"expected {Expected}");
        }
        return Problem(line, devEui, joinEui, code, qr)
            ?? ClaimRow.Create(line, ClaimFieldNames.Api, devEui.Value, joinEui.Value, code.Value, qr.Value);
    }

    private static ClaimRow? Problem(int line, params ReadOnlySpan<Field> fields)
    {
        foreach (var field in fields)
        {
            if (field.Problem is not null)
            {
                return ClaimRow.Unreadable(line, field.Problem);
            }
        }
        return null;
    }

    private static Field Text(JsonElement parent, string name, string shownName) =>
        parent.TryGetProperty(name, out var value) ? Field.Of(value, shownName) : default;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A string field's value, or why it is not a string (null and absent are both "not given").</summary>
    private readonly record struct Field(string? Value, string? Problem)
    {
        public static Field Of(JsonElement value, string name) => value.ValueKind switch
        {
            JsonValueKind.String => new Field(value.GetString(), null),
            JsonValueKind.Null => default,
            _ => new Field(null, $"{name}: expected a string, got {Describe(value.ValueKind)}"),
        };
    }
}
