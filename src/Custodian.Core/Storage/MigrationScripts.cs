using System.Globalization;
using System.Reflection;

namespace Custodian.Core.Storage;

/// <summary>
/// An engine's migrations: the SQL scripts embedded in its assembly as <c>Migrations/NNNN_name.sql</c>,
/// in version order. Each engine applies them its own way.
/// </summary>
public static class MigrationScripts
{
    private const string Marker = ".Migrations.";

    public static IReadOnlyList<(int Version, string Sql)> Load(Assembly assembly) =>
    [
        .. assembly.GetManifestResourceNames()
            .Where(name => name.Contains(Marker, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: ParseVersion(name[(name.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..]), Sql: Read(assembly, name)))
            .OrderBy(script => script.Version),
    ];

    private static int ParseVersion(string fileName) =>
        int.Parse(fileName.AsSpan(0, fileName.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
