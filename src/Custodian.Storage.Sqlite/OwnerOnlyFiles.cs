namespace Custodian.Storage.Sqlite;

/// <summary>
/// The database holds sealed keys, claim codes and key hashes: its directory is created readable by its owner only
/// (0700) and its files are kept 0600. SQLite gives the -wal and -shm files the mode of the database file, so the
/// database file is created 0600 before SQLite opens it.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, DirectoryMode); // an existing directory keeps its mode
    }

    /// <summary>Creates the empty database file 0600 when absent (SQLite takes an empty file as a new database), else makes it and its companions 0600.</summary>
    public static void PrepareDatabase(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var options = new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = FileMode };
        using (new FileStream(path, options))
        {
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file))
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }
}
