using Npgsql;

namespace Custodian.Storage.Tests;

/// <summary>
/// A fresh, uniquely named database on the server named by <c>CUSTODIAN_TEST_POSTGRES</c> (other test runs
/// share that server), dropped afterwards. Without the variable the tests fail: they are never skipped.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "CUSTODIAN_TEST_POSTGRES";

    private readonly string _serverConnectionString;
    private readonly string _name;

    private PostgresDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL tests need a server, e.g. {Variable}=\"Host=127.0.0.1;Port=55432;Username=postgres\".");
        }
        var name = "custodian_test_" + Guid.NewGuid().ToString("N");
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new PostgresDatabase(admin, name, connectionString);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync(_serverConnectionString, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");

    public async Task ExecuteAsync(string sql) => await ExecuteAsync(ConnectionString, sql);

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>One database per test class, migrated once; each test starts from empty tables.</summary>
public sealed class PostgresClassDatabase : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("The database was not created.");

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await using var store = Postgres.PostgresCustodianStore.Create(_database.ConnectionString);
        await store.MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await _database.DisposeAsync();
        }
    }
}
