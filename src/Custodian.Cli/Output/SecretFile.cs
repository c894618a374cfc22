namespace Custodian.Cli.Output;

/// <summary>Files that hold root keys or claim codes (manifests, the provisioning journal): readable by their owner only.</summary>
internal static class SecretFile
{
    public static FileStream Create(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }
}
