using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;

namespace Custodian.Server.Custody;

/// <summary>
/// Builds our <see cref="KeyRing"/> at start: from <c>Custodian:Kek</c> (+ <c>KekLabel</c>), from
/// <c>Custodian:KekFile</c>, or from <c>&lt;DataDirectory&gt;/kek.txt</c>, which is generated (with a warning)
/// when nothing is configured. Rotation: add a line with a new label; it becomes current, older ones stay readable.
/// </summary>
internal static class KeyRingLoader
{
    private const int GeneratedKekSize = 32;

    public static KeyRing Load(CustodianOptions options, ILogger logger)
    {
        if (options.Kek is { } hex)
        {
            var label = options.KekLabel ?? CustodianOptions.DefaultKekLabel;
            var key = KekText.TryParseKey(hex, out var bytes, out var error) ? bytes : throw new InvalidOperationException($"Custodian:Kek: {error}.");
            ServerLog.KekConfigured(logger, label);
            return Ring([(label, key)], label);
        }
        if (options.Postgres is not null && options.KekFile is null)
        {
            // Several instances share the database: a KEK generated into one instance's data directory would
            // leave the others unable to read what it seals.
            throw new InvalidOperationException(
                "With Custodian:Postgres a KEK must be configured: set Custodian:KekFile (label=hex lines) or Custodian:Kek (+ Custodian:KekLabel); none is generated.");
        }
        var file = options.KekFile ?? options.GeneratedKekPath;
        if (options.KekFile is null && !File.Exists(file))
        {
            Generate(file);
            ServerLog.KekGenerated(logger, Path.GetFullPath(file));
        }
        if (!KekText.TryParseFile(File.ReadLines(file), out var entries, out var fileError))
        {
            throw new InvalidOperationException($"KEK file '{file}': {fileError}.");
        }
        var current = options.KekLabel ?? entries[^1].Label;
        var ring = Ring(entries, current);
        ServerLog.KekFileLoaded(logger, Path.GetFullPath(file), entries.Count, current);
        return ring;
    }

    private static KeyRing Ring(List<(string Label, byte[] Key)> entries, string current)
    {
        var keks = entries.Select(e => new KeyEncryptionKey(e.Label, e.Key)).ToList();
        foreach (var (_, key) in entries)
        {
            CryptographicOperations.ZeroMemory(key);
        }
        return new KeyRing(keks, current);
    }

    private static void Generate(string file)
    {
        var key = RandomNumberGenerator.GetBytes(GeneratedKekSize);
        var text = "# Custodian's key-encryption key: back it up; without it the stored keys cannot be read.\n"
            + "# Rotate by adding a line with a new label; the last line is the current KEK.\n"
            + KekText.FormatLine(CustodianOptions.DefaultKekLabel, key) + "\n";
        CryptographicOperations.ZeroMemory(key);
        SecretFile.Write(file, text);
    }
}
