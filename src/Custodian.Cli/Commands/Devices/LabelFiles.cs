using System.Text;
using Custodian.Labels;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// A folder of labels: <c>&lt;DEVEUI&gt;.png</c> and <c>&lt;DEVEUI&gt;.svg</c> per device (the QR code with the DevEUI and
/// claim code beneath), and <c>labels.html</c>, a printable A4 sheet of them all, written as devices are added.
/// Labels show claim codes: the files are readable by their owner only (0600), as the manifest is, and a folder
/// made here is 0700.
/// </summary>
internal sealed class LabelFiles : IDisposable
{
    public const string SheetName = "labels.html";
    private readonly DirectoryInfo _directory;
    private readonly StreamWriter _sheetFile;
    private readonly LabelSheet _sheet;

    /// <exception cref="IOException">The folder cannot be made or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public LabelFiles(DirectoryInfo directory, string title)
    {
        if (OperatingSystem.IsWindows())
        {
            directory.Create();
        }
        else if (!directory.Exists)
        {
            Directory.CreateDirectory(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _directory = directory;
        _sheetFile = new StreamWriter(Output.SecretFile.Create(Path.Combine(directory.FullName, SheetName), FileMode.Create), new UTF8Encoding(false), 64 * 1024);
        _sheet = new LabelSheet(_sheetFile, title);
    }

    public string Folder => _directory.FullName;

    public long Count { get; private set; }

    /// <summary>Draws the device's two label files; safe to call from several threads for different devices.</summary>
    public void Draw(ManifestRow device)
    {
        var label = new LabelContent(device.Qr, device.DevEui, device.ClaimCode);
        WriteFile(PathOf(device.DevEui, ".png"), DeviceLabel.Png(label));
        WriteFile(PathOf(device.DevEui, ".svg"), Encoding.UTF8.GetBytes(DeviceLabel.Svg(label)));
    }

    /// <summary>One unbuffered write per file: a label is a few kilobytes, and a hundred thousand of them are written.</summary>
    private static void WriteFile(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        file.Write(content);
    }

    /// <summary>Draws the label files unless both are there already (a rerun redraws only what is missing).</summary>
    public void DrawIfMissing(ManifestRow device)
    {
        if (!File.Exists(PathOf(device.DevEui, ".png")) || !File.Exists(PathOf(device.DevEui, ".svg")))
        {
            Draw(device);
        }
    }

    /// <summary>Puts the device's label on the sheet, in the order devices are added.</summary>
    public void AddToSheet(ManifestRow device)
    {
        _sheet.Add(device.DevEui, device.DevEui + ".svg");
        Count++;
    }

    public void Dispose()
    {
        _sheet.Complete();
        _sheetFile.Dispose();
    }

    private string PathOf(string devEui, string extension) => Path.Combine(_directory.FullName, devEui + extension);
}
