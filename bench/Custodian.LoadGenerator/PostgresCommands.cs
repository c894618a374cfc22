using Npgsql;

namespace Custodian.LoadGenerator;

/// <summary><c>pg-create</c> / <c>pg-drop</c>: a database of its own for one benchmark run, on a shared PostgreSQL.</summary>
internal static class PostgresCommands
{
    /// <summary>Creates the database and prints the connection string that selects it.</summary>
    public static async Task<int> CreateAsync(Options options, CancellationToken cancel)
    {
        var (server, name) = Read(options);
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"", cancel);
        Console.WriteLine(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
        return 0;
    }

    public static async Task<int> DropAsync(Options options, CancellationToken cancel)
    {
        var (server, name) = Read(options);
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancel);
        return 0;
    }

    private static (string Server, string Name) Read(Options options)
    {
        var server = options.Text("postgres");
        var name = options.Text("database");
        options.ThrowIfUnknown();
        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new UsageException("--database takes lowercase letters, digits and '_'.");
        }
        return (server, name);
    }

    private static async Task ExecuteAsync(string server, string sql, CancellationToken cancel)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancel);
    }
}
