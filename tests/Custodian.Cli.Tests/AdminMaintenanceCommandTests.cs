using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Server.Tests;
using Microsoft.Data.Sqlite;

namespace Custodian.Cli.Tests;

/// <summary><c>custodian admin backup --out FILE</c> and <c>custodian admin kek rewrap</c> against a real server.</summary>
public sealed class AdminMaintenanceCommandTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-maint-cli-");
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        var keyFile = Path.Combine(_directory.FullName, "keks.txt");
        await File.WriteAllTextAsync(keyFile, $"old={Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}\nnew={Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}\n", TestContext.Current.CancellationToken);
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:KekFile"] = keyFile, ["Custodian:KekLabel"] = "old" });
        using var created = await _server.Admin.PostAsJsonAsync("/api/v1/tenants", new { id = "acme", name = "Acme" }, TestContext.Current.CancellationToken);
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Backup_writes_an_owner_only_sqlite_copy_and_never_overwrites()
    {
        var file = Path.Combine(_directory.FullName, "copy.db");

        var run = await CliRun.AgainstAsync(_server, _server.AdminKey, "admin", "backup", "--out", file);
        var again = await CliRun.AgainstAsync(_server, _server.AdminKey, "admin", "backup", "--out", file);
        var refused = await CliRun.AgainstAsync(_server, await _server.ApiKeyAsync("acme", "devices:read"), "admin", "backup", "--out", file + ".2");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("Wrote a backup of ").And.Contain(file);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM tenants WHERE id = 'acme'";
            (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)).Should().Be("Acme");
        }
        again.ExitCode.Should().Be(2);
        again.Error.Should().Contain("exists");
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain("missing_right");
        File.Exists(file + ".2").Should().BeFalse("a refused download leaves no file");
    }

    [Fact]
    public async Task Kek_rewrap_prints_the_counts_per_label_and_the_json_report()
    {
        var maker = await _server.TenantAsync("maker", "devices:provision");
        using var provisioned = await maker.PostAsJsonAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000042", devEui = "00E0000000000001", macVersion = "1.0.3" }, TestContext.Current.CancellationToken);
        provisioned.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);

        var run = await CliRun.AgainstAsync(_server, _server.AdminKey, "admin", "kek", "rewrap", "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var report = JsonDocument.Parse(run.Out);
        report.RootElement.GetProperty("currentLabel").GetString().Should().Be("old");
        report.RootElement.GetProperty("labels").GetProperty("old").GetProperty("sealed").GetInt64().Should().Be(2);
        report.RootElement.GetProperty("retiredLabels").EnumerateArray().Select(l => l.GetString()).Should().Equal("new");
        var text = await CliRun.AgainstAsync(_server, _server.AdminKey, "admin", "kek", "rewrap");
        text.ExitCode.Should().Be(0, text.Error);
        text.Out.Should().Contain("Current KEK label: old").And.Contain("old: 2 sealed, 0 re-sealed, 0 failed");
    }
}
