using System.CommandLine;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary>Options and output the admin commands share: a client certificate file, a KEK, a secret shown once.</summary>
internal static class AdminOptions
{
    public static Option<FileInfo> ClientCertificate(string who) => new Option<FileInfo>("--client-certificate")
    {
        Description = $"A PEM file with the X.509 certificate {who} may present as a TLS client certificate instead of the bearer token.",
    }.AcceptExistingOnly();

    public static Option<string> KekLabel() => new("--kek-label")
    {
        Description = "The KEK's label, as Backend Interfaces messages carry it (KEKLabel); give --kek with it.",
    };

    public static Option<string> Kek()
    {
        var kek = new Option<string>("--kek")
        {
            Description = "The key-encryption key shared with this peer: 32, 48 or 64 hex digits (AES-128/192/256). Keys sent to the peer are wrapped with it.",
        };
        kek.Validators.Add(result =>
        {
            // Never echo the value: it is a secret.
            var hex = result.GetValueOrDefault<string>()?.Trim() ?? "";
            if (hex.Length is not (32 or 48 or 64) || !hex.All(Uri.IsHexDigit))
            {
                result.AddError($"--kek must be 32, 48 or 64 hex digits (got {hex.Length} characters).");
            }
        });
        return kek;
    }

    /// <summary>A KEK is a label and a key: one without the other is a usage error.</summary>
    public static void RequireKekPair(Command command, Option<string> label, Option<string> kek) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(label) is null != (result.GetResult(kek) is null))
            {
                result.AddError("--kek-label and --kek go together: give both or neither.");
            }
        });

    /// <summary>The KEK request body the server reads, or null when none was given.</summary>
    public static object? KekBody(ParseResult parseResult, Option<string> label, Option<string> kek) =>
        parseResult.GetValue(kek) is { } key ? new { label = parseResult.GetValue(label), key = key.Trim() } : null;

    /// <summary>The PEM text of <paramref name="file"/>, or null (and a message on stderr) when it cannot be read.</summary>
    public static bool TryReadPem(CliConsole console, FileInfo? file, out string? pem, out int exitCode)
    {
        pem = null;
        exitCode = ExitCodes.Success;
        if (file is null)
        {
            return true;
        }
        try
        {
            pem = File.ReadAllText(file.FullName);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            exitCode = console.Fail($"Cannot read {file.FullName}: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// A secret the server shows once (an API key, a peer's token), on its own line on stdout so it can be
    /// copied, with a reminder: the server keeps only a hash and cannot show it again.
    /// </summary>
    public static void WriteSecret(CliConsole console, string label, string secret)
    {
        console.Out.WriteLine($"{label}: {secret}");
        console.Out.WriteLine($"Keep this {label.ToLowerInvariant()} now: it is shown once, and the server keeps only its hash.");
    }
}
