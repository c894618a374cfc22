using System.Text;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// <c>&lt;manifest&gt;.pending</c>: every generated row (keys, claim code) is written here, and reaches the disk,
/// before its batch is sent. If the run dies with batches in flight — answered or not — the rerun sends those rows
/// again with the same keys and code, and recognises the devices the server made. Deleted when a run finishes.
/// </summary>
internal sealed class ProvisionJournal : IDisposable
{
    private static readonly string[] Columns = ["dev_eui", "join_eui", "mac_version", "app_key", "nwk_key", "claim_authentication_code", "vendor_id", "vendor_profile_id"];
    private readonly FileStream _file;
    private readonly StreamWriter _output;

    private ProvisionJournal(string path)
    {
        Path = path;
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        _file = SecretFile.Create(path, FileMode.Append);
        _output = new StreamWriter(_file, new UTF8Encoding(false), 64 * 1024);
        if (!exists)
        {
            Csv.WriteLine(_output, Columns);
        }
    }

    public string Path { get; }

    public static string PathFor(FileInfo manifest) => manifest.FullName + ".pending";

    /// <exception cref="IOException">The folder is not writable.</exception>
    public static ProvisionJournal Open(FileInfo manifest) => new(PathFor(manifest));

    /// <summary>The rows an earlier, unfinished run wrote, by DevEUI (empty when there is no journal).</summary>
    /// <exception cref="ClaimFileException">The journal cannot be read.</exception>
    public static Dictionary<string, DeviceRow> ReadEarlier(FileInfo manifest)
    {
        var path = PathFor(manifest);
        var rows = new Dictionary<string, DeviceRow>(StringComparer.Ordinal);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return rows;
        }
        DropCutLine(path);
        foreach (var entry in DeviceFile.Read(path))
        {
            if (entry.Row.IsSendable)
            {
                rows[entry.Row.DevEui] = entry.Row with { Line = 0, KeysMadeHere = true };
            }
        }
        return rows;
    }

    /// <summary>
    /// A line cut short by a crash mid-write was never sent (a batch leaves only once all of it is on the disk), and
    /// its key may be cut too: it is dropped, so the rerun makes that device afresh.
    /// </summary>
    private static void DropCutLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var end = file.Length;
        while (end > 0)
        {
            file.Position = end - 1;
            if (file.ReadByte() == '\n')
            {
                break;
            }
            end--;
        }
        file.SetLength(end);
    }

    /// <summary>Writes the rows and waits until they are on the disk.</summary>
    public void Append(IEnumerable<DeviceRow> rows)
    {
        foreach (var row in rows)
        {
            Csv.WriteLine(_output, [row.DevEui, row.JoinEui, row.MacVersion, row.AppKey, row.NwkKey, row.ClaimCode, row.VendorId, row.VendorProfileId]);
        }
        _output.Flush();
        _file.Flush(flushToDisk: true);
    }

    /// <summary>The run finished: every row it wrote is in the manifest or failed for good.</summary>
    public void Finish()
    {
        Dispose();
        File.Delete(Path);
    }

    public void Dispose() => _output.Dispose();
}
