using System.Globalization;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Infrastructure.Sqlite.Users;
using UserManagement.Infrastructure.Users;
using UserManagement.Web;

namespace UserManagement.Benchmarks.Scenarios;

/// <summary>How long and how often to run each scenario.</summary>
/// <param name="Only">When set, only these groups run (list, jump, filter, search, get, create, export, audit): for a quick look while tuning.</param>
/// <param name="AuditDatabase">The audit trail's database (seeded once and kept); beside the users' database when not given.</param>
public sealed record ScenarioOptions(
    string DatabasePath, int Iterations = 200, int Warmup = 20, int ScanIterations = 5, IReadOnlySet<string>? Only = null,
    string? AuditDatabase = null, long AuditEntries = 5_000_000)
{
    public string AuditDatabasePath => AuditDatabase
        ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!, $"audit-{AuditEntries}.db");

    public bool Runs(string group) => Only is null || Only.Count == 0 || Only.Contains(group);
}

/// <summary>
/// Calls the real handlers (mediator, authorization and validation steps, EF Core, the read model) on a seeded
/// database, as an administrator's circuit does, and times each call. Beside each handler figure it times a
/// raw Microsoft.Data.Sqlite baseline in the same run: the same SQL for list pages, the old instr() scan for
/// searches, a plain SELECT or INSERT for reading or creating one user. The caller is a fixed administrator,
/// so the per-message session check (a database read) is not in these figures; the browser run has it.
/// </summary>
public sealed class ScenarioRunner(ScenarioOptions options, TextWriter log)
{
    private readonly Random _random = new(42);

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        var connectionString = $"Data Source={Path.GetFullPath(options.DatabasePath)}";
        await using var services = BuildServices(connectionString);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await using var scope = services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        await using var raw = await OpenRawAsync(connectionString);
        var total = Convert.ToInt64(await ScalarAsync(raw, $"SELECT sum(Count) FROM {SqliteUserListSchema.CountsTable}"), CultureInfo.InvariantCulture);
        var maxSeq = Convert.ToInt64(await ScalarAsync(raw, $"SELECT max(Seq) FROM {SqliteUserListSchema.Table}"), CultureInfo.InvariantCulture);
        log.WriteLine($"Scenarios on {total:N0} users ({options.DatabasePath}), {options.Iterations} runs each after {options.Warmup} warm-up runs");

        var results = new List<ScenarioResult>();
        if (options.Runs("list"))
        {
            results.AddRange(await ListPagesAsync(sender, raw, maxSeq, total));
        }

        if (options.Runs("jump"))
        {
            results.AddRange(await JumpsAsync(sender, raw, total, services.GetRequiredService<SqlitePageAnchors>(), services.GetRequiredService<PageAnchorCache>()));
        }

        if (options.Runs("filter"))
        {
            results.Add(await FiltersAsync(sender, raw));
        }

        if (options.Runs("search"))
        {
            results.AddRange(await SearchesAsync(sender, raw, maxSeq));
        }

        if (options.Runs("get"))
        {
            results.AddRange(await GetByIdAsync(sender, raw, maxSeq, connectionString));
        }

        if (options.Runs("create"))
        {
            results.Add(await CreateAsync(sender, connectionString));
        }

        if (options.Runs("export"))
        {
            results.Add(await new ExportScenario(sender, raw, total, log).RunAsync(options.ScanIterations));
        }

        if (options.Runs("audit"))
        {
            results.AddRange(await new AuditScenarios(options, log, BuildServices).RunAsync());
        }
        return results;
    }

    private static ServiceProvider BuildServices(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = connectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddUserManagement(configuration, AppContext.BaseDirectory);
        services.AddSingleton<ICurrentUser>(new Administrator());
        return services.BuildServiceProvider();
    }

    private async Task<List<ScenarioResult>> ListPagesAsync(ISender sender, SqliteConnection raw, long maxSeq, long total)
    {
        var lastPage = (int)Math.Ceiling(total / (double)ListUsersQuery.DefaultPageSize);
        var kinds = new (string Kind, Func<string, bool, Task<ListUsersQuery>> Query)[]
        {
            ("first", (sort, desc) => Task.FromResult(new ListUsersQuery(SortBy: sort, Descending: desc))),
            ("next", async (sort, desc) => await CursorQueryAsync(raw, maxSeq, sort, desc, before: false)),
            ("previous", async (sort, desc) => await CursorQueryAsync(raw, maxSeq, sort, desc, before: true)),
            ("last", (sort, desc) => Task.FromResult(new ListUsersQuery(SortBy: sort, Descending: desc, Page: lastPage))),
        };

        var results = new List<ScenarioResult>();
        var all = new List<(Samples Handler, Samples Raw)>();
        foreach (var (kind, makeQuery) in kinds)
        {
            var handler = new List<Samples>();
            var baseline = new List<Samples>();
            foreach (var sort in ListUsersQuery.SortKeys)
            {
                foreach (var descending in new[] { false, true })
                {
                    var queries = new List<ListUsersQuery>();
                    for (var i = 0; i < 8; i++)
                    {
                        queries.Add(await makeQuery(sort, descending));
                    }

                    var runs = Math.Max(1, options.Iterations / 14);
                    handler.Add(await Samples.TimeAsync(2, runs, async i => await ListAsync(sender, queries[Math.Abs(i) % queries.Count])));
                    var commands = new List<(string, IReadOnlyList<SqliteParameter>)>();
                    foreach (var query in queries)
                    {
                        commands.Add(await RawPageCommandAsync(raw, query));
                    }

                    baseline.Add(await Samples.TimeAsync(2, runs, i => RawPageAsync(raw, commands[Math.Abs(i) % commands.Count])));
                }
            }

            var h = Samples.Of(handler);
            var b = Samples.Of(baseline);
            all.Add((h, b));
            results.Add(Report(new ScenarioResult($"List page, no filter: {kind} (7 sort keys × 2 directions)", h, "same SQL, raw", b, "p95 ≤ 2 ms", h.P95 <= 2)));
        }

        results.Insert(0, Report(new ScenarioResult(
            "List page (25 rows) with total, no filter: first/next/previous/last, every sort key",
            Samples.Of(all.Select(a => a.Handler)), "same SQL, raw", Samples.Of(all.Select(a => a.Raw)), "p95 ≤ 2 ms",
            Samples.Of(all.Select(a => a.Handler)).P95 <= 2)));
        return results;
    }

    /// <summary>
    /// Jumps to random pages: with the page anchors read (each of the 64 jumps once in the warm-up), and right
    /// after a write to Users, when a jump reads its order's anchors again as far as its page (ADR 0022). The
    /// second is compared with the OFFSET the list used before anchors, on the same pages.
    /// </summary>
    private async Task<IEnumerable<ScenarioResult>> JumpsAsync(ISender sender, SqliteConnection raw, long total, SqlitePageAnchors anchors, PageAnchorCache cache)
    {
        var lastPage = (int)Math.Ceiling(total / (double)ListUsersQuery.DefaultPageSize);
        var queries = Enumerable.Range(0, 64).Select(_ => new ListUsersQuery(
            SortBy: ListUsersQuery.SortKeys[_random.Next(ListUsersQuery.SortKeys.Count)],
            Descending: _random.Next(2) == 0,
            Page: 2 + _random.Next(Math.Max(1, lastPage - 2)))).ToList();
        foreach (var query in queries)
        {
            await ListAsync(sender, query);
        }

        await cache.WhenIdleAsync();
        var handler = await Samples.TimeAsync(0, options.Iterations / 2, async i => await ListAsync(sender, queries[i % queries.Count]));
        var commands = new List<(string, IReadOnlyList<SqliteParameter>)>();
        var offsets = new List<(string, IReadOnlyList<SqliteParameter>)>();
        foreach (var query in queries)
        {
            commands.Add(await RawPageCommandAsync(raw, query, anchors));
            offsets.Add(await RawPageCommandAsync(raw, query));
        }

        var baseline = await Samples.TimeAsync(options.Warmup / 4, options.Iterations / 2, i => RawPageAsync(raw, commands[Math.Abs(i) % commands.Count]));
        var warm = Report(new ScenarioResult("Jump to an arbitrary page number (random page, sort key and direction)", handler, "same SQL, raw", baseline, "p95 ≤ 30 ms", handler.P95 <= 30,
            "each of the 64 jumps once in the warm-up, then the page anchors read in the background awaited"));

        // A write that can move a row (here a new UpdatedAt) bumps the list's version: the next jump reads its order's anchors again.
        var userId = (string)(await ScalarAsync(raw, $"SELECT Id FROM {SqliteUserListSchema.Table} LIMIT 1"))!;
        var times = new double[options.Iterations / 4];
        for (var i = 0; i < times.Length; i++)
        {
            await ScalarAsync(raw, $"UPDATE Users SET UpdatedAt = datetime('2000-01-01', '+{i} seconds') WHERE Id = '{userId}'");
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await ListAsync(sender, queries[i % queries.Count]);
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var changed = new Samples(times);
        var offset = await Samples.TimeAsync(options.Warmup / 4, options.Iterations / 4, i => RawPageAsync(raw, offsets[Math.Abs(i) % offsets.Count]));
        var cold = Report(new ScenarioResult("Jump right after a write to Users (OFFSET, anchors read again in the background)", changed, "OFFSET from the nearer end, raw (before anchors)", offset,
            Note: "the write is not timed"));
        return [warm, cold];
    }

    private async Task<ScenarioResult> FiltersAsync(ISender sender, SqliteConnection raw)
    {
        var queries = (from role in Enum.GetValues<UserRole>()
                       from status in Enum.GetValues<UserStatus>()
                       select new ListUsersQuery(Role: role, Status: status)).ToList();
        var handler = await Samples.TimeAsync(options.Warmup, options.Iterations, async i => await ListAsync(sender, queries[Math.Abs(i) % queries.Count]));
        var commands = new List<(string, IReadOnlyList<SqliteParameter>)>();
        foreach (var query in queries)
        {
            commands.Add(await RawPageCommandAsync(raw, query));
        }

        var baseline = await Samples.TimeAsync(options.Warmup, options.Iterations, i => RawPageAsync(raw, commands[Math.Abs(i) % commands.Count]));
        return Report(new ScenarioResult("Filter by role and status (each of the 4 pairs), first page with count", handler, "same SQL, raw", baseline, "p95 ≤ 5 ms", handler.P95 <= 5));
    }

    private async Task<List<ScenarioResult>> SearchesAsync(ISender sender, SqliteConnection raw, long maxSeq)
    {
        var common = await CommonTermAsync(raw, maxSeq);
        var rare = await RareTermAsync(raw, maxSeq);
        var results = new List<ScenarioResult>();
        foreach (var (label, term) in new[] { ("common term", common), ("rare term", rare), ("no match", "QXZJW") })
        {
            var page = await ListAsync(sender, new ListUsersQuery(Search: term));
            var handler = await Samples.TimeAsync(options.Warmup, options.Iterations, async _ => await ListAsync(sender, new ListUsersQuery(Search: term)));
            var scan = await Samples.TimeAsync(1, options.ScanIterations, _ => InstrScanAsync(raw, term));
            var faster = scan.P50 / handler.P50;
            results.Add(Report(new ScenarioResult(
                $"Substring search, {label}: \"{term}\" ({(page.IsTotalCapped ? $"{page.TotalCount:N0}+" : page.TotalCount.ToString("N0", CultureInfo.InvariantCulture))} matches), first page with count",
                handler, "instr() scan of Users, raw", scan, "p95 ≤ 10 ms and ≥ 15× faster than the scan",
                handler.P95 <= 10 && faster >= 15)));
        }

        var prefix = await Samples.TimeAsync(options.Warmup, options.Iterations, async i => await ListAsync(sender, new ListUsersQuery(Search: ((char)('A' + (Math.Abs(i) % 26))).ToString())));
        results.Add(Report(new ScenarioResult("One-letter search (start of name or email), first page with count", prefix, Note: "no target; for reference")));
        return results;
    }

    /// <summary>
    /// The handler against raw Microsoft.Data.Sqlite reading the same row into the same <see cref="UserDetails"/>,
    /// the two interleaved call by call so that both see the same moments of a shared machine. The handler opens a
    /// pooled connection per operation (one context per operation), so the raw side does too; the raw side with a
    /// prepared command on a connection held open is reported beside it, as the floor.
    /// </summary>
    private async Task<List<ScenarioResult>> GetByIdAsync(ISender sender, SqliteConnection raw, long maxSeq, string connectionString)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 64; i++)
        {
            ids.Add(Guid.Parse((string)(await ScalarAsync(raw, $"SELECT Id FROM {SqliteUserListSchema.Table} WHERE Seq >= {1 + _random.NextInt64(maxSeq)} LIMIT 1"))!));
        }

        const string Select = """
            SELECT Id, Name, Email, Role, Status, CreatedAt, UpdatedAt, Version, LastSignInAt, LockedUntil, MustChangePassword, TemporaryPasswordExpiresAt
            FROM Users WHERE Id = $id LIMIT 1
            """;
        Func<int, Task> handler = async i =>
        {
            var result = await sender.Send(new GetUserQuery(ids[Math.Abs(i) % ids.Count]));
            Check(result.IsSuccess, result.ToString());
        };
        Func<int, Task> perOperation = async i =>
        {
            await using var connection = await OpenRawAsync(connectionString, pragmas: false);
            await using var command = connection.CreateCommand();
            command.CommandText = Select;
            command.Parameters.AddWithValue("$id", ids[Math.Abs(i) % ids.Count].ToString().ToUpperInvariant());
            await ReadDetailsAsync(command);
        };
        await using var held = raw.CreateCommand();
        held.CommandText = Select;
        var id = held.Parameters.Add("$id", SqliteType.Text);
        Func<int, Task> heldOpen = async i =>
        {
            id.Value = ids[Math.Abs(i) % ids.Count].ToString().ToUpperInvariant();
            await ReadDetailsAsync(held);
        };

        var (h, b) = await Samples.TimeInterleavedAsync(options.Warmup, options.Iterations, handler, perOperation);
        var (h2, b2) = await Samples.TimeInterleavedAsync(options.Warmup, options.Iterations, handler, heldOpen);
        var allocated = $"allocated per call: handler {await Samples.AllocatedAsync(handler):N0} B, raw {await Samples.AllocatedAsync(perOperation):N0} B";
        return
        [
            Report(new ScenarioResult("Get user by id", h, "plain SELECT, raw, a pooled connection opened per call as the handler does", b, "≥ 33% of raw speed", b.P50 / h.P50 >= 0.33, allocated)),
            Report(new ScenarioResult("Get user by id, against a prepared SELECT on a connection held open", h2, "plain SELECT, raw, prepared, connection held open", b2, Note: "the floor: no connection is opened")),
        ];
    }

    private static async Task ReadDetailsAsync(SqliteCommand select)
    {
        await using var reader = await select.ExecuteReaderAsync();
        Check(await reader.ReadAsync(), "the user exists");
        _ = new UserDetails(
            Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), Enum.Parse<UserRole>(reader.GetString(3)),
            Enum.Parse<UserStatus>(reader.GetString(4)), reader.GetDateTime(5), reader.GetDateTime(6), reader.GetInt64(7),
            reader.IsDBNull(8) ? null : reader.GetDateTime(8), reader.IsDBNull(9) ? null : reader.GetDateTime(9), reader.GetBoolean(10),
            reader.IsDBNull(11) ? null : reader.GetDateTime(11));
    }

    /// <summary>
    /// The handler against raw Microsoft.Data.Sqlite making the same writes in one transaction: the user (whose
    /// triggers keep the read model) and its audit entry (whose trigger indexes it for search), on a pooled
    /// connection opened per call with the same pragmas (set on every open here; the app sets them once per native connection). The raw side skips the email check the validator reads
    /// first (the unique index would refuse a duplicate). Interleaved call by call: each commit waits for the
    /// disk, which on a shared machine varies more than anything else.
    /// </summary>
    private async Task<ScenarioResult> CreateAsync(ISender sender, string connectionString)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var runs = Math.Max(10, options.Iterations / 2);
        var correlation = Guid.NewGuid().ToString("N");
        Func<int, Task> handler = async i =>
        {
            var result = await sender.Send(new CreateUserCommand($"Bench User {i}", $"bench-{run}-h{i + 10}@example.com", UserRole.Member));
            Check(result.IsSuccess, result.ToString());
        };
        Func<int, Task> rawWrites = async i =>
        {
            var now = DateTime.UtcNow;
            var name = $"Bench User {i}";
            var email = $"bench-{run}-r{i + 10}@example.com";
            var userId = Guid.CreateVersion7(now).ToString().ToUpperInvariant();
            // With the app's pragmas (synchronous=FULL above all): a fresh connection's default may differ.
            await using var connection = await OpenRawAsync(connectionString);
            await using var transaction = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO Users (Id, Name, NormalizedName, Email, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt,
                    MustChangePassword, FailedSignInCount, SecurityStamp, Version)
                VALUES ($id, $name, $nameKey, $email, $emailKey, 'Member', 'Active', $now, $now, 0, 0, $stamp, 1);
                INSERT INTO AuditEntries (OccurredAt, ActorId, ActorName, Action, TargetId, TargetName, TargetEmail, CorrelationId, Changes)
                VALUES ($now, $actor, 'bench@example.com', 'UserCreated', $id, $name, $email, $correlation, $changes);
                """;
            insert.Parameters.AddWithValue("$id", userId);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$nameKey", UserRules.NameKey(name));
            insert.Parameters.AddWithValue("$email", email);
            insert.Parameters.AddWithValue("$emailKey", UserRules.EmailKey(email));
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$stamp", Guid.NewGuid().ToString("N"));
            insert.Parameters.AddWithValue("$actor", Administrator.Id.ToString().ToUpperInvariant());
            insert.Parameters.AddWithValue("$correlation", correlation);
            insert.Parameters.AddWithValue("$changes", System.Text.Json.JsonSerializer.Serialize(new[]
            {
                new { Field = "Name", Old = (string?)null, New = name },
                new { Field = "Email", Old = (string?)null, New = email },
                new { Field = "Role", Old = (string?)null, New = "Member" },
                new { Field = "Status", Old = (string?)null, New = "Active" },
            }));
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        };
        var (h, b) = await Samples.TimeInterleavedAsync(5, runs, handler, rawWrites);
        var allocated = $"allocated per call: handler {await Samples.AllocatedAsync(handler):N0} B, raw {await Samples.AllocatedAsync(rawWrites):N0} B";
        return Report(new ScenarioResult(
            "Create user (mediator + validation + EF Core + read model upkeep + audit entry)", h,
            "raw: the same two INSERTs (user, audit entry) in one transaction, same triggers and durability", b,
            "≥ 50% of raw speed", b.P50 / h.P50 >= 0.5, allocated));
    }

    private static async Task<Page<UserListItem>> ListAsync(ISender sender, ListUsersQuery query)
    {
        var result = await sender.Send(query);
        Check(result.IsSuccess, result.ToString());
        return result.Value;
    }

    /// <summary>A query for the page after (or before) a random user in the given order, with the cursor a pager would hold.</summary>
    private async Task<ListUsersQuery> CursorQueryAsync(SqliteConnection raw, long maxSeq, string sort, bool descending, bool before)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = $"SELECT Id, {SqliteUserListSchema.SortColumns[sort]} FROM {SqliteUserListSchema.Table} WHERE Seq >= $seq LIMIT 1";
        command.Parameters.AddWithValue("$seq", 1 + _random.NextInt64(maxSeq));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var cursor = new UserListCursor(2, before, sort, descending, reader.GetString(1), Guid.Parse(reader.GetString(0)));
        return new ListUsersQuery(SortBy: sort, Descending: descending, Page: 2, Cursor: cursor.Encode());
    }

    private static async Task<(string Sql, IReadOnlyList<SqliteParameter> Parameters)> RawPageCommandAsync(
        SqliteConnection raw, ListUsersQuery query, SqlitePageAnchors? anchors = null)
    {
        var sortBy = ListUsersQuery.CanonicalSortKey(query.SortBy)!;
        var request = new UserListRequest(UserSearch.From(query.Search), query.Role, query.Status, sortBy, query.Descending, query.Page, query.PageSize,
            UserListCursor.TryDecode(query.Cursor));
        return await SqliteUserListExplain.RowsAsync(raw, request, anchors: anchors);
    }

    /// <summary>What the read side's SQL costs on its own: the counts and the page's rows, read into items.</summary>
    private static async Task RawPageAsync(SqliteConnection raw, (string Sql, IReadOnlyList<SqliteParameter> Parameters) page)
    {
        await using (var counts = raw.CreateCommand())
        {
            counts.CommandText = $"SELECT Role, Status, Count FROM {SqliteUserListSchema.CountsTable}";
            await using var reader = await counts.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetInt64(2);
            }
        }

        await using var rows = raw.CreateCommand();
        rows.CommandText = page.Sql;
        foreach (var parameter in page.Parameters)
        {
            rows.Parameters.AddWithValue(parameter.ParameterName, parameter.Value);
        }

        await using var read = await rows.ExecuteReaderAsync();
        while (await read.ReadAsync())
        {
            _ = new UserListItem(
                Guid.Parse(read.GetString(0)), read.GetString(1), read.GetString(2), Enum.Parse<UserRole>(read.GetString(3)),
                Enum.Parse<UserStatus>(read.GetString(4)), read.GetDateTime(5), read.GetDateTime(6), read.GetInt64(7),
                read.IsDBNull(8) ? null : read.GetDateTime(8), read.IsDBNull(9) ? null : read.GetDateTime(9));
        }
    }

    /// <summary>The search as the list ran it before the read model: instr() over both columns of Users, a count and a sorted first page.</summary>
    private static async Task InstrScanAsync(SqliteConnection raw, string term)
    {
        var key = UserRules.NameKey(term);
        await using var count = raw.CreateCommand();
        count.CommandText = "SELECT count(*) FROM Users WHERE instr(NormalizedName, $k) > 0 OR instr(NormalizedEmail, $k) > 0";
        count.Parameters.AddWithValue("$k", key);
        _ = await count.ExecuteScalarAsync();
        await using var page = raw.CreateCommand();
        page.CommandText = """
            SELECT Id, Name, Email FROM Users WHERE instr(NormalizedName, $k) > 0 OR instr(NormalizedEmail, $k) > 0
            ORDER BY NormalizedName, Id LIMIT 25
            """;
        page.Parameters.AddWithValue("$k", key);
        await using var reader = await page.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = reader.GetString(1);
        }
    }

    /// <summary>A word of four letters or more that many names share, like a common surname.</summary>
    private async Task<string> CommonTermAsync(SqliteConnection raw, long maxSeq)
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var command = raw.CreateCommand();
        command.CommandText = $"SELECT NameKey FROM {SqliteUserListSchema.Table} WHERE Seq >= $seq LIMIT 200";
        for (var i = 0; i < 10; i++)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$seq", 1 + _random.NextInt64(maxSeq));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                foreach (var word in reader.GetString(0).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 5 && w.All(char.IsAsciiLetter)))
                {
                    words[word] = words.GetValueOrDefault(word) + 1;
                }
            }
        }

        return words.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).First().Key.ToLowerInvariant();
    }

    /// <summary>A fragment of one user's email, such as "jean.dupont.48213@": exactly one match.</summary>
    private async Task<string> RareTermAsync(SqliteConnection raw, long maxSeq)
    {
        var email = (string)(await ScalarAsync(raw, $"SELECT Email FROM {SqliteUserListSchema.Table} WHERE Seq >= {1 + _random.NextInt64(maxSeq)} LIMIT 1"))!;
        return email[..(email.IndexOf('@', StringComparison.Ordinal) + 1)];
    }

    private ScenarioResult Report(ScenarioResult result)
    {
        var baseline = result.Baseline is null ? string.Empty
            : $" | {result.BaselineName}: p50 {Samples.Ms(result.Baseline.P50)} p95 {Samples.Ms(result.Baseline.P95)} | ratio {result.Ratio:0.00}";
        log.WriteLine($"{result.Name}: p50 {Samples.Ms(result.Handler.P50)} p95 {Samples.Ms(result.Handler.P95)} p99 {Samples.Ms(result.Handler.P99)} ms (n={result.Handler.Count}){baseline}{(result.Met is { } met ? met ? " | met" : " | NOT met" : string.Empty)}");
        return result;
    }

    /// <summary>A pooled connection; the pragmas a connection keeps (the app sets them once per native connection too) only when asked.</summary>
    internal static async Task<SqliteConnection> OpenRawAsync(string connectionString, bool pragmas = true)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        if (!pragmas)
        {
            return connection;
        }

        await using var settings = connection.CreateCommand();
        settings.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {SqliteConnectionSettings.BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA mmap_size = {SqliteConnectionSettings.MemoryMapBytes};";
        await settings.ExecuteNonQueryAsync();
        return connection;
    }

    internal static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    internal static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"A scenario went wrong: {what}");
        }
    }

    /// <summary>The caller of every message: an administrator whose session is taken as confirmed.</summary>
    internal sealed class Administrator : ICurrentUser
    {
        public static readonly Guid Id = Guid.CreateVersion7();

        internal static readonly Caller Caller = new(Id, Guid.CreateVersion7(), "bench@example.com", UserRole.Administrator, false);

        public ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<Caller?>(Caller);
    }
}
