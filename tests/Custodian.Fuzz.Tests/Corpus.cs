namespace Custodian.Fuzz.Tests;

/// <summary>The committed fuzzing corpus: fuzz/corpus/&lt;target&gt;/&lt;file&gt;, found from the repository root.</summary>
internal static class Corpus
{
    public static readonly string Directory = Path.Combine(FindRepositoryRoot(), "fuzz", "corpus");

    public static IEnumerable<string> Targets() => System.IO.Directory.EnumerateDirectories(Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static IEnumerable<string> Files(string target) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, target)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static byte[] Read(string target, string file) => File.ReadAllBytes(Path.Combine(Directory, target, file));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Custodian.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No folder holding Custodian.sln above {AppContext.BaseDirectory}.");
    }
}
