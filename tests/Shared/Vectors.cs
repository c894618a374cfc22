using System.Text.Json;

namespace Custodian.Testing;

/// <summary>One published test vector from ../shared/vectors (see its README for the schema).</summary>
public sealed record Vector(string File, string Id, string Kind, JsonElement Inputs, JsonElement Expected, string? Notes)
{
    public override string ToString() => $"{File} {Id} ({Kind})";

    public string InputHex(string name) => Vectors.Text(Inputs, name).ToLowerInvariant();

    public string ExpectedHex(string name) => Vectors.Text(Expected, name).ToLowerInvariant();

    public byte[] InputBytes(string name) => Convert.FromHexString(Vectors.Text(Inputs, name));

    public byte[] ExpectedBytes(string name) => Convert.FromHexString(Vectors.Text(Expected, name));

    public bool HasInput(string name) => Inputs.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public bool HasExpected(string name) => Expected.TryGetProperty(name, out _);
}

/// <summary>Loads the shared conformance vectors as data, for <c>[Theory]</c> tests dispatched on <c>kind</c>.</summary>
public static class Vectors
{
    private static readonly Lazy<string> Directory = new(FindDirectory);
    private static readonly Dictionary<string, IReadOnlyList<Vector>> Cache = [];

    public static IReadOnlyList<Vector> All(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var vectors))
            {
                vectors = Load(file);
                Cache[file] = vectors;
            }
            return vectors;
        }
    }

    public static Vector Get(string file, string id) => All(file).Single(v => v.Id == id);

    /// <summary>The ids of one kind, for <c>MemberData</c>; a kind with no vectors is a test error, not an empty theory.</summary>
    public static TheoryData<string> Ids(string file, string kind)
    {
        var ids = All(file).Where(v => v.Kind == kind).Select(v => v.Id).ToList();
        if (ids.Count == 0)
        {
            throw new InvalidOperationException($"{file} has no vectors of kind '{kind}'.");
        }
        return new TheoryData<string>(ids);
    }

    public static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new InvalidOperationException($"'{name}' is null.");

    private static List<Vector> Load(string file)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Directory.Value, file)));
        return document.RootElement.GetProperty("vectors").EnumerateArray()
            .Select(v => new Vector(
                file,
                v.GetProperty("id").GetString()!,
                v.GetProperty("kind").GetString()!,
                v.GetProperty("inputs").Clone(),
                v.GetProperty("expected").Clone(),
                v.TryGetProperty("notes", out var notes) ? notes.GetString() : null))
            .ToList();
    }

    /// <summary>shared/ sits beside the repository root; CUSTODIAN_VECTORS overrides.</summary>
    private static string FindDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable("CUSTODIAN_VECTORS");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "vectors");
            if (System.IO.File.Exists(Path.Combine(candidate, "crypto.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/vectors not found beside the repository; set CUSTODIAN_VECTORS.");
    }
}
