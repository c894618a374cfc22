using Custodian.Core.Joins;
using Custodian.Core.Storage;

namespace Custodian.Server.Configuration;

/// <summary>
/// The <c>Custodian</c> configuration section. This class is the one place that holds the defaults;
/// <see cref="CustodianOptionsValidator"/> checks it when the server starts.
/// </summary>
public sealed class CustodianOptions
{
    public const string Section = "Custodian";
    public const string DefaultKekLabel = "kek1";
    public const string GeneratedKekFileName = "kek.txt";
    public const string AdminKeyFileName = "admin-key.txt";

    /// <summary>Where SQLite, a generated KEK and the admin key file live.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>A PostgreSQL connection string; when set, PostgreSQL is the store instead of SQLite.</summary>
    public string? Postgres { get; set; }

    /// <summary>The admin API key to accept; when unset, the first start generates one.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Our key-encryption key: 16, 24 or 32 bytes as hex.</summary>
    public string? Kek { get; set; }

    /// <summary>The label of <see cref="Kek"/>, or the current label among <see cref="KekFile"/>'s.</summary>
    public string? KekLabel { get; set; }

    /// <summary>A file of <c>label=hex</c> lines; the current label is <see cref="KekLabel"/> or the last line's.</summary>
    public string? KekFile { get; set; }

    public Durability Durability { get; set; } = Durability.Process;

    /// <summary>How long a join's session (and its AppSKey for AppSKeyReq) stays valid.</summary>
    public TimeSpan SessionLifetime { get; set; } = JoinServerOptions.DefaultSessionLifetime;

    /// <summary>An optional HTTPS endpoint that accepts client certificates (mTLS peers).</summary>
    public TlsOptions? Tls { get; set; }

    /// <summary>A checkout of the LoRaWAN Device Repository (the folder holding <c>vendor/</c>): scanned codes are named from it.</summary>
    public string? DeviceRepository { get; set; }

    /// <summary>Claiming: lock-out, rate limits (see <see cref="ClaimsOptions"/>).</summary>
    public ClaimsOptions Claims { get; set; } = new();

    /// <summary>Backend Interfaces: throttling of failed peer authentications (see <see cref="BackendInterfacesOptions"/>).</summary>
    public BackendInterfacesOptions BackendInterfaces { get; set; } = new();

    /// <summary>How long audit events are kept and how often old data is pruned (see <see cref="RetentionOptions"/>).</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>Makers' provisioning: the per-key rate (see <see cref="ProvisioningOptions"/>).</summary>
    public ProvisioningOptions Provisioning { get; set; } = new();

    public string GeneratedKekPath => Path.Combine(DataDirectory, GeneratedKekFileName);

    public string AdminKeyPath => Path.Combine(DataDirectory, AdminKeyFileName);
}

/// <summary>The HTTPS endpoint: where it listens and its server certificate (PFX, or PEM with a key file).</summary>
public sealed class TlsOptions
{
    /// <summary>For example <c>https://0.0.0.0:8443</c>.</summary>
    public string? Url { get; set; }

    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key when <see cref="CertificateFile"/> is PEM.</summary>
    public string? KeyFile { get; set; }

    public string? CertificatePassword { get; set; }
}
