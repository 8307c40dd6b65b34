using System.Data.Common;
using System.Globalization;
using Npgsql;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Support;

/// <summary>
/// The bus's own tables as another connection sees them (committed rows only, unless given the save's transaction): the
/// domain events' envelopes waiting, handled or dead. On PostgreSQL they live in the bus's schema.
/// </summary>
public static class BusTables
{
    /// <summary>Generous for a loaded 2-core machine; delivery normally takes milliseconds (docs/benchmarks.md).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Envelopes of domain events waiting for delivery in <paramref name="database"/> (committed only).</summary>
    public static async Task<long> EnvelopesAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return await EnvelopesAsync(connection, null);
    }

    public static async Task<long> EnvelopesAsync(DbConnection connection, DbTransaction? transaction, string status = "Incoming")
    {
        await using var command = TestDatabase.Command(connection,
            $"SELECT COUNT(*) FROM {Table(connection, "wolverine_incoming_envelopes")} WHERE message_type LIKE '%DeliverDomainEvents%' AND status = @status",
            ("status", status));
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task<long> DeadLettersAsync(DbConnection connection)
    {
        await using var command = TestDatabase.Command(connection,
            $"SELECT COUNT(*) FROM {Table(connection, "wolverine_dead_letters")} WHERE message_type LIKE '%DeliverDomainEvents%'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task WaitForNoPendingEnvelopesAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await WaitForNoPendingEnvelopesAsync(connection, "");
    }

    /// <summary>Polls until no domain-event envelope waits for delivery (handled ones stay a while, marked so).</summary>
    public static async Task WaitForNoPendingEnvelopesAsync(DbConnection connection, string context)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await EnvelopesAsync(connection, null) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Domain events' envelopes still wait for delivery after {Patience}. {context}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static string Table(DbConnection connection, string name) =>
        connection is NpgsqlConnection ? $"wolverine.{name}" : name; // PostgreSqlRegistration.BusSchema
}
