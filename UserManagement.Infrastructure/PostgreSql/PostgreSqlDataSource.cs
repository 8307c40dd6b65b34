using Npgsql;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> of the process, built from <c>ConnectionStrings:Default</c>: one pool, one set
/// of timeouts and TLS settings for EF Core and the message bus alike. Pooling, timeouts and TLS are connection-string
/// settings (<c>Maximum Pool Size</c>, <c>Timeout</c>, <c>Command Timeout</c>, <c>SSL Mode</c>); nothing is added here.
/// </summary>
public static class PostgreSqlDataSource
{
    public static NpgsqlDataSource Build(string? connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(Checked(connectionString));
        return builder.Build();
    }

    /// <summary>Refuses, with the setting to fix, a connection string that names no server (an SQLite one left in place, say).</summary>
    private static string Checked(string? connectionString)
    {
        const string Expected = "With Database:Provider=PostgreSQL, ConnectionStrings:Default must be an Npgsql connection string "
            + "(Host=...;Database=...;Username=...;Password=...)";
        try
        {
            if (!string.IsNullOrWhiteSpace(connectionString) && new NpgsqlConnectionStringBuilder(connectionString).Host is { Length: > 0 })
            {
                return connectionString;
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{Expected}: {e.Message}", e);
        }

        throw new InvalidOperationException($"{Expected}; it names no Host.");
    }
}
