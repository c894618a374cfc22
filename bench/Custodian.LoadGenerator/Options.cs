using System.Globalization;

namespace Custodian.LoadGenerator;

/// <summary>"--name value" pairs after the command word; every option is checked for and unknown ones are refused.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                throw new UsageException($"Expected '--name value', got '{name}'.");
            }
            _values[name[2..]] = e.Current;
        }
    }

    public string Text(string name) => Optional(name) ?? throw new UsageException($"--{name} is required.");

    public string? Optional(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Text(string name, string fallback) => Optional(name) ?? fallback;

    public int Number(string name, int fallback) =>
        Optional(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public int Number(string name) => int.Parse(Text(name), CultureInfo.InvariantCulture);

    public TimeSpan Duration(string name, TimeSpan fallback) =>
        Optional(name) is { } text ? TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture)) : fallback;

    /// <summary>Call once every option has been read: a typo must not silently fall back to a default.</summary>
    public void ThrowIfUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }
}

internal sealed class UsageException(string message) : Exception(message);
