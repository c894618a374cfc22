using Custodian.Core.Custody;
using Custodian.Server.Storage;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Configuration;

/// <summary>
/// Checks <see cref="CustodianOptions"/> when the server starts (<c>ValidateOnStart</c>), so a bad setting stops
/// the start with a message naming the key, instead of failing on the first request. Never echoes a secret.
/// </summary>
internal sealed class CustodianOptionsValidator : IValidateOptions<CustodianOptions>
{
    public const int MinAdminKeyLength = 24;

    public ValidateOptionsResult Validate(string? name, CustodianOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{CustodianOptions.Section}:{key}: {message}.");

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            Fail(nameof(options.DataDirectory), "must name a directory");
        }
        if (options.Postgres is { } postgres && string.IsNullOrWhiteSpace(postgres))
        {
            Fail(nameof(options.Postgres), "is blank; remove it to use SQLite, or give a connection string");
        }
        else if (options.Postgres is { } connectionString && !StoreFactory.IsValidPostgres(connectionString))
        {
            Fail(nameof(options.Postgres), "is not a PostgreSQL connection string (e.g. Host=127.0.0.1;Port=5432;Username=custodian;Database=custodian)");
        }
        if (options.AdminKey is { } adminKey && (adminKey.Length < MinAdminKeyLength || adminKey.Any(char.IsWhiteSpace)))
        {
            Fail(nameof(options.AdminKey), $"must be at least {MinAdminKeyLength} characters without whitespace");
        }
        ValidateKek(options, Fail);
        if (options.SessionLifetime <= TimeSpan.Zero)
        {
            Fail(nameof(options.SessionLifetime), "must be positive (for example 7.00:00:00)");
        }
        if (options.Tls is { } tls)
        {
            ValidateTls(tls, Fail);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateKek(CustodianOptions options, Action<string, string> fail)
    {
        if (options.Kek is not null && options.KekFile is not null)
        {
            fail(nameof(options.Kek), "and KekFile are both set; give one of them");
            return;
        }
        if (options.KekLabel is not null && !KekText.IsValidLabel(options.KekLabel, out var labelError))
        {
            fail(nameof(options.KekLabel), labelError);
        }
        if (options.Kek is not null && !KekText.TryParseKey(options.Kek, out _, out var keyError))
        {
            fail(nameof(options.Kek), keyError);
        }
        if (options.KekFile is { } file)
        {
            if (!File.Exists(file))
            {
                fail(nameof(options.KekFile), $"'{file}' does not exist");
            }
            else if (!KekText.TryParseFile(File.ReadLines(file), out var entries, out var fileError))
            {
                fail(nameof(options.KekFile), $"'{file}': {fileError}");
            }
            else if (options.KekLabel is { } label && !entries.Exists(e => e.Label == label))
            {
                fail(nameof(options.KekLabel), $"'{label}' is not among the labels of KekFile '{file}'");
            }
        }
    }

    private static void ValidateTls(TlsOptions tls, Action<string, string> fail)
    {
        if (!Uri.TryCreate(tls.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            fail("Tls:Url", "must be an https:// address such as https://0.0.0.0:8443");
        }
        if (string.IsNullOrWhiteSpace(tls.CertificateFile) || !File.Exists(tls.CertificateFile))
        {
            fail("Tls:CertificateFile", "must name an existing certificate file (PFX, or PEM with Tls:KeyFile)");
        }
        if (tls.KeyFile is { } keyFile && !File.Exists(keyFile))
        {
            fail("Tls:KeyFile", $"'{keyFile}' does not exist");
        }
    }
}
