using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// Writes a manifest, CSV or JSON by the file's extension, with the same names either way (<see cref="ManifestRow.Columns"/>;
/// JSON is an array of objects, one a line). It is written beside the target and moved over it by <see cref="Commit"/>,
/// so a crash never leaves a half-written manifest where a whole one stood. It holds root keys and claim codes, so
/// only its owner may read it.
/// </summary>
internal sealed class ManifestWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly FileInfo _target;
    private readonly string _temporary;
    private readonly StreamWriter _output;
    private readonly bool _json;
    private long _rows;
    private bool _committed;

    private ManifestWriter(FileInfo target)
    {
        _target = target;
        _json = IsJson(target);
        _temporary = target.FullName + ".tmp";
        _output = new StreamWriter(SecretFile.Create(_temporary, FileMode.Create), new UTF8Encoding(false), 64 * 1024);
        if (_json)
        {
            _output.Write('[');
        }
        else
        {
            Csv.WriteLine(_output, ManifestRow.Columns);
        }
    }

    /// <summary>The extensions a manifest may have; anything else is a usage error.</summary>
    public static bool HasKnownExtension(FileInfo file) => IsJson(file) || file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="IOException">The folder is missing or not writable.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static ManifestWriter Create(FileInfo target) => new(target);

    public long Rows => _rows;

    public void Write(ManifestRow row)
    {
        if (_json)
        {
            _output.Write(_rows == 0 ? "\n" : ",\n");
            _output.Write(JsonLine(row));
        }
        else
        {
            Csv.WriteLine(_output, row.Values);
        }
        _rows++;
    }

    /// <summary>Finishes the file and puts it in place of the target.</summary>
    public void Commit()
    {
        _output.Write(_json ? "\n]\n" : "");
        _output.Dispose();
        File.Move(_temporary, _target.FullName, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            _output.Dispose();
            File.Delete(_temporary);
        }
    }

    private static bool IsJson(FileInfo file) => file.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase);

    private static string JsonLine(ManifestRow row)
    {
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            var values = row.Values;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    json.WriteString(ManifestRow.Columns[i], value);
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
