using System.Security.Cryptography;
using Custodian.Core.Tenancy;
using Custodian.Storage.Postgres;
using Npgsql;

namespace Custodian.Server.Tests;

/// <summary>
/// A uniquely named database on the PostgreSQL server that <c>CUSTODIAN_TEST_POSTGRES</c> names (other test runs
/// share that server), dropped afterwards; without the variable the tests fail, never skip.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "CUSTODIAN_TEST_POSTGRES";

    private readonly string _admin;
    private readonly string _name;

    private PostgresTestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException($"{Variable} is not set: these tests need a PostgreSQL, e.g. {Variable}=\"Host=127.0.0.1;Port=55432;Username=postgres\".");
        }
        var name = "custodian_server_test_" + Guid.NewGuid().ToString("N");
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new PostgresTestDatabase(admin, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>
/// Two server instances on one <see cref="PostgresTestDatabase"/>, sharing the admin key and our KEK as a
/// deployment's instances do. For a test class: start it in InitializeAsync, dispose it in DisposeAsync.
/// </summary>
public sealed class PostgresInstances : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;

    private PostgresInstances(PostgresTestDatabase database, TestServer first, TestServer second)
    {
        _database = database;
        First = first;
        Second = second;
    }

    public TestServer First { get; }

    public TestServer Second { get; }

    public static async Task<PostgresInstances> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Custodian:AdminKey"] = SecretToken.Generate(SecretToken.ApiKeyPrefix),
            ["Custodian:Kek"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Custodian:KekLabel"] = "shared",
            ["Custodian:Postgres"] = database.ConnectionString,
        };
        var first = await TestServer.StartAsync(configuration);
        var second = await TestServer.StartAsync(configuration);
        first.Store.Should().BeOfType<PostgresCustodianStore>();
        return new PostgresInstances(database, first, second);
    }

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await _database.DisposeAsync();
    }
}
