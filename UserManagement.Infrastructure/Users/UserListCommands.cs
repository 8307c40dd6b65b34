using System.Data.Common;
using System.Globalization;
using System.Text;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Users;

/// <summary>The ADO.NET steps of reading the users list that do not depend on the database: the SQL is the provider's.</summary>
public static class UserListCommands
{
    /// <summary>
    /// The plan of <paramref name="request"/>: the users per role and status (<paramref name="countsSql"/>) and, for a
    /// search, its matches counted up to one past <see cref="UserListPlanner.CountCap"/> (<paramref name="countMatches"/>).
    /// </summary>
    public static async Task<UserListPlan> PlanAsync(
        DbConnection connection, UserListRequest request, string countsSql,
        (string Sql, IEnumerable<DbParameter> Parameters) countMatches, CancellationToken cancellationToken)
    {
        var counts = new List<RoleStatusCount>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = countsSql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add(new RoleStatusCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        long? matches = request.Search is null
            ? null
            : await ScalarAsync(connection, countMatches.Sql, countMatches.Parameters, cancellationToken);
        return UserListPlanner.Plan(request, counts, matches);
    }

    /// <summary>The plan with the anchor its jump seeks from, when it is a jump the order's anchors serve.</summary>
    public static async Task<UserListPlan> AnchorAsync(
        DbConnection connection, UserListPlan plan, PageAnchorReader anchors, bool readNow, CancellationToken cancellationToken)
    {
        if (UserListPlanner.AnchoredJump(plan) is not { } jump)
        {
            return plan;
        }

        var anchor = await anchors.NearestAsync(
            connection, plan.Request.SortBy, jump.Descending, jump.Offset, plan.Matching, readNow, cancellationToken);
        return plan with { Anchor = anchor };
    }

    /// <summary>
    /// The plan a page's rows query is shown for (the SQL the reader would run, for EXPLAIN and the benchmarks' raw
    /// baselines): with <paramref name="anchors"/>, a jump seeks from its anchor as the reader's does (the anchors are
    /// read first if they are not known); with <paramref name="fetchAll"/>, a windowed walk as its fallback that
    /// fetches every match.
    /// </summary>
    public static async Task<UserListPlan> ExplainedAsync(
        DbConnection connection, UserListPlan plan, PageAnchorReader? anchors, bool fetchAll, CancellationToken cancellationToken)
    {
        if (anchors is not null)
        {
            plan = await AnchorAsync(connection, plan, anchors, readNow: true, cancellationToken);
        }

        return fetchAll && plan.Strategy == UserListStrategy.WalkThenFetch ? plan with { Strategy = UserListStrategy.FetchAndSort } : plan;
    }

    /// <summary>
    /// Runs a rows query (none when its SQL is empty: the page is past the end), each row read by <paramref name="row"/>,
    /// and turns them around when the query read the order backwards.
    /// </summary>
    public static async Task<List<UserListRow>> ReadRowsAsync(
        DbConnection connection, (string Sql, IEnumerable<DbParameter> Parameters, bool Reversed) query, int pageSize,
        Func<DbDataReader, UserListRow> row, CancellationToken cancellationToken)
    {
        if (query.Sql.Length == 0)
        {
            return [];
        }

        await using var command = Command(connection, query.Sql, query.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UserListRow>(pageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }

        if (query.Reversed)
        {
            rows.Reverse();
        }

        return rows;
    }

    public static async Task<long> ScalarAsync(
        DbConnection connection, string sql, IEnumerable<DbParameter> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, CultureInfo.InvariantCulture);
    }

    public static DbCommand Command(DbConnection connection, string sql, IEnumerable<DbParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }

    public static string Where(IReadOnlyCollection<string> conditions) =>
        conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);

    /// <summary>The smallest text above every text that starts with <paramref name="prefix"/> in code-point order, or null when there is none.</summary>
    public static string? PrefixEnd(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        var last = runes[^1].Value + 1;
        if (last is >= 0xD800 and <= 0xDFFF)
        {
            last = 0xE000;
        }

        if (last > 0x10FFFF)
        {
            return null;
        }

        var end = new StringBuilder();
        foreach (var rune in runes.Take(runes.Count - 1))
        {
            end.Append(rune.ToString());
        }

        return end.Append(new Rune(last).ToString()).ToString();
    }
}
