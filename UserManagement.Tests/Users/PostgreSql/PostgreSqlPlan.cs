using System.Text.Json;
using Npgsql;
using UserManagement.Infrastructure.PostgreSql.Users;

namespace UserManagement.Tests.Users.PostgreSql;

/// <summary>
/// What <c>EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON)</c> says a query did in the list reader's snapshot: every node of
/// its plan, with the table or index it read and how many rows it read there. Counts of rows, not timings: the same on
/// any machine, however busy.
/// </summary>
public sealed record PostgreSqlPlan(IReadOnlyList<PostgreSqlPlan.Node> Nodes)
{
    /// <summary>One node: its type, its table and index (if any), whether it had an index condition, and the rows it touched (all loops).</summary>
    public sealed record Node(string Type, string? Relation, string? Index, bool HasIndexCondition, bool UnderLimit, long RowsRead)
    {
        public override string ToString() =>
            $"{Type}{(Relation is null ? string.Empty : $" on {Relation}")}{(Index is null ? string.Empty : $" using {Index}")}"
            + $"{(HasIndexCondition ? " (cond)" : string.Empty)} rows {RowsRead}";
    }

    public static async Task<PostgreSqlPlan> OfAsync(string connectionString, string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // In the reader's own snapshot, with its settings.
        await using var snapshot = await PostgreSqlUserListSql.BeginSnapshotAsync(connection, TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, connection);
        command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var json = (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        using var document = JsonDocument.Parse(json);
        var nodes = new List<Node>();
        Walk(document.RootElement[0].GetProperty("Plan"), underLimit: false, nodes);
        return new PostgreSqlPlan(nodes);
    }

    /// <summary>
    /// Rows read from <paramref name="tables"/> over every node and loop: the rows a table scan, an index scan or a
    /// bitmap heap scan fetched, those its filter or recheck dropped included (a bitmap index scan's entries are not rows).
    /// </summary>
    public long RowsRead(params string[] tables) => Nodes.Where(n => n.Relation is { } r && tables.Contains(r)).Sum(n => n.RowsRead);

    public override string ToString() => string.Join(" / ", Nodes);

    private static void Walk(JsonElement plan, bool underLimit, List<Node> nodes)
    {
        var type = plan.GetProperty("Node Type").GetString()!;
        var loops = Number(plan, "Actual Loops");
        var read = (Number(plan, "Actual Rows") + Number(plan, "Rows Removed by Filter") + Number(plan, "Rows Removed by Index Recheck")) * Math.Max(loops, 1);
        nodes.Add(new Node(
            type,
            plan.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            plan.TryGetProperty("Index Name", out var index) ? index.GetString() : null,
            plan.TryGetProperty("Index Cond", out _) || plan.TryGetProperty("Recheck Cond", out _),
            underLimit,
            read));
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, underLimit || type == "Limit", nodes);
            }
        }
    }

    private static long Number(JsonElement plan, string name) =>
        plan.TryGetProperty(name, out var value) ? (long)value.GetDouble() : 0;
}
