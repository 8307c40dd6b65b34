using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// The users list's read model on SQLite, written by hand because EF Core cannot express it: its own table
/// (<c>UserListEntries</c>) with an index per sort key, an FTS5 trigram index over the folded name and email
/// (<c>UserListSearch</c>) and the number of users per role and status (<c>UserListCounts</c>). Triggers on
/// <c>Users</c> keep all three in step inside the writing transaction, whatever writes the row: EF Core's
/// SaveChanges, ExecuteUpdate/ExecuteDelete, a bulk import or plain SQL.
/// </summary>
/// <remarks>
/// The migration AddUserReadModel runs <see cref="BuildSteps"/> in order (each step logs its progress through
/// <see cref="MigrationProgressLogger"/>), so it survives a regenerated migration as long as the call stays.
/// Every step can run again on a database that has it: it drops what it creates first. An EF Core table
/// rebuild of <c>Users</c> (how SQLite migrations alter a column) drops the table's triggers;
/// <see cref="SqliteUserListReadModel.EnsureAsync"/> notices at start-up and builds the read model again.
/// </remarks>
public static class SqliteUserListSchema
{
    public const string Table = "UserListEntries";
    public const string SearchTable = "UserListSearch";
    public const string CountsTable = "UserListCounts";

    /// <summary>
    /// One row whose <c>Version</c> the same triggers bump whenever a write to Users can move a row in one of the
    /// list's orders (an insert, a delete, an update of a sort column): a cache of positions in those orders
    /// (<see cref="PageAnchorCache"/>) holds only while it is unchanged.
    /// </summary>
    public const string ChangesTable = "UserListChanges";

    /// <summary>
    /// How many users each trigram of the search index is in, read from the index when the read model is built:
    /// an estimate that lets a long search ask for its rarest trigrams only (not kept in step: SQLite triggers
    /// cannot split a text into trigrams, having no recursive CTE).
    /// </summary>
    public const string TrigramCountsTable = "UserListTrigramCounts";

    /// <summary>The index that serves filtering by role and status, in name order.</summary>
    public const string GroupIndex = UserListIndexes.GroupIndex;

    /// <summary>The stored column each sort key orders by (ties broken by Id), and so the index it walks.</summary>
    public static IReadOnlyDictionary<string, string> SortColumns => UserListIndexes.SortColumns;

    public static string SortIndex(string sortKey) => UserListIndexes.SortIndex(sortKey);

    /// <summary>The triggers on Users, named so a start-up check can tell whether they are all still there.</summary>
    public static IReadOnlyList<string> UserTriggers { get; } =
        ["UserList_AfterInsertUser", "UserList_AfterUpdateUser", "UserList_AfterDeleteUser"];

    /// <summary>Every object the start-up check looks for (a later version that adds a table adds it here too).</summary>
    public static IReadOnlyList<string> Objects { get; } = [.. UserTriggers, SearchTable, CountsTable, ChangesTable, TrigramCountsTable];

    private const string EntryColumns =
        "Id, Name, NameKey, Email, EmailKey, Role, Status, CreatedAt, UpdatedAt, LastSignInAt, LockedUntil, Version";

    private const string UserColumns =
        "Id, Name, NormalizedName, Email, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt, LastSignInAt, LockedUntil, Version";

    /// <summary>
    /// Removes the whole read model: the triggers first, so nothing writes to what is being dropped. The change
    /// counter stays (a rebuild bumps it), so a running app's cached positions can never match a rebuilt list.
    /// </summary>
    public static string DropSql { get; } = $"""
        {DropTriggersSql}
        DROP TABLE IF EXISTS {TrigramCountsTable};
        DROP TABLE IF EXISTS {SearchTable};
        DROP TABLE IF EXISTS {CountsTable};
        DROP TABLE IF EXISTS {Table};
        """;

    private const string DropTriggersSql = """
        DROP TRIGGER IF EXISTS UserList_AfterInsertUser;
        DROP TRIGGER IF EXISTS UserList_AfterUpdateUser;
        DROP TRIGGER IF EXISTS UserList_AfterDeleteUser;
        """;

    private static string ChangesSql => $"""
        CREATE TABLE IF NOT EXISTS {ChangesTable} (
            Id INTEGER PRIMARY KEY CHECK (Id = 1),
            Version INTEGER NOT NULL);
        INSERT OR IGNORE INTO {ChangesTable} (Id, Version) VALUES (1, 0);
        UPDATE {ChangesTable} SET Version = Version + 1;
        """;

    private static string TrigramCountsSql => $"""
        DROP TABLE IF EXISTS {TrigramCountsTable};
        CREATE TABLE {TrigramCountsTable} (Trigram TEXT NOT NULL PRIMARY KEY, Count INTEGER NOT NULL) WITHOUT ROWID;
        CREATE VIRTUAL TABLE temp.UserListTrigramVocabulary USING fts5vocab(main, {SearchTable}, row);
        INSERT INTO {TrigramCountsTable} (Trigram, Count) SELECT term, doc FROM temp.UserListTrigramVocabulary;
        DROP TABLE temp.UserListTrigramVocabulary;
        """;

    /// <summary>
    /// What the migration PageAnchorsAndTrigramCounts adds to a read model built before it: the change counter,
    /// the triggers again, now bumping it, and the trigram counts. Safe to run on a read model that has them.
    /// </summary>
    public static IReadOnlyList<(string Name, string Sql)> ChangeCounterSteps { get; } =
    [
        ("count the changes to the list's orders", ChangesSql),
        ("keep the read model in step with Users, counting changes", DropTriggersSql + Triggers),
        ("count the users each search trigram is in", TrigramCountsSql),
    ];

    /// <summary>
    /// What the migration ListOrderChangesOnly changes: the triggers again, now bumping the change counter only
    /// when an update moves a row in one of the list's orders, and leaving the list's row alone when an update
    /// changes nothing it shows.
    /// </summary>
    public static IReadOnlyList<(string Name, string Sql)> TriggerSteps { get; } =
    [
        ("keep the read model in step with Users, counting only changes to its orders", DropTriggersSql + Triggers),
    ];

    /// <summary>The steps that build the read model from the Users table as it is, each with what it does.</summary>
    public static IReadOnlyList<(string Name, string Sql)> BuildSteps { get; } = CreateSteps();

    private static List<(string Name, string Sql)> CreateSteps()
    {
        var steps = new List<(string Name, string Sql)>
        {
            ("drop what an earlier build left", DropSql),
            ("copy every user into the list table", $"""
                CREATE TABLE {Table} (
                    Seq INTEGER PRIMARY KEY,
                    Id TEXT NOT NULL,
                    Name TEXT NOT NULL,
                    NameKey TEXT NOT NULL,
                    Email TEXT NOT NULL,
                    EmailKey TEXT NOT NULL,
                    Role TEXT NOT NULL,
                    Status TEXT NOT NULL,
                    CreatedAt TEXT NOT NULL,
                    UpdatedAt TEXT NOT NULL,
                    LastSignInAt TEXT NULL,
                    LastSignInKey TEXT NOT NULL GENERATED ALWAYS AS (coalesce(LastSignInAt, '')) VIRTUAL,
                    LockedUntil TEXT NULL,
                    Version INTEGER NOT NULL);
                INSERT INTO {Table} ({EntryColumns}) SELECT {UserColumns} FROM Users ORDER BY Id;
                CREATE UNIQUE INDEX IX_UserListEntries_Id ON {Table} (Id);
                """),
        };

        foreach (var (sortKey, column) in SortColumns)
        {
            steps.Add(($"index the {sortKey} order", $"CREATE INDEX {SortIndex(sortKey)} ON {Table} ({column}, Id);"));
        }

        steps.Add(("index role and status in name order", $"CREATE INDEX {GroupIndex} ON {Table} (Role, Status, NameKey, Id);"));
        steps.Add(("count users per role and status", $"""
            CREATE TABLE {CountsTable} (
                Role TEXT NOT NULL,
                Status TEXT NOT NULL,
                Count INTEGER NOT NULL,
                PRIMARY KEY (Role, Status)) WITHOUT ROWID;
            INSERT INTO {CountsTable} (Role, Status, Count) SELECT Role, Status, count(*) FROM {Table} GROUP BY Role, Status;
            """));
        steps.Add(("build the trigram search index over names and emails", $"""
            CREATE VIRTUAL TABLE {SearchTable} USING fts5(
                NameKey, EmailKey, content='{Table}', content_rowid='Seq', tokenize='trigram case_sensitive 1');
            INSERT INTO {SearchTable} ({SearchTable}) VALUES ('rebuild');
            """));
        steps.Add(("count the users each search trigram is in", TrigramCountsSql));
        steps.Add(("count the changes to the list's orders", ChangesSql));
        steps.Add(("keep the read model in step with Users", Triggers));
        return steps;
    }

    private static string Triggers => $"""
        CREATE TRIGGER UserList_AfterInsertUser AFTER INSERT ON Users BEGIN
            INSERT INTO {Table} ({EntryColumns})
            VALUES (new.Id, new.Name, new.NormalizedName, new.Email, new.NormalizedEmail, new.Role, new.Status,
                    new.CreatedAt, new.UpdatedAt, new.LastSignInAt, new.LockedUntil, new.Version);
            INSERT INTO {SearchTable} (rowid, NameKey, EmailKey) VALUES (last_insert_rowid(), new.NormalizedName, new.NormalizedEmail);
            INSERT INTO {CountsTable} (Role, Status, Count) VALUES (new.Role, new.Status, 1)
                ON CONFLICT (Role, Status) DO UPDATE SET Count = Count + 1;
            UPDATE {ChangesTable} SET Version = Version + 1;
        END;

        CREATE TRIGGER UserList_AfterDeleteUser AFTER DELETE ON Users BEGIN
            INSERT INTO {SearchTable} ({SearchTable}, rowid, NameKey, EmailKey)
                SELECT 'delete', Seq, NameKey, EmailKey FROM {Table} WHERE Id = old.Id;
            DELETE FROM {Table} WHERE Id = old.Id;
            UPDATE {CountsTable} SET Count = Count - 1 WHERE Role = old.Role AND Status = old.Status;
            UPDATE {ChangesTable} SET Version = Version + 1;
        END;

        CREATE TRIGGER UserList_AfterUpdateUser AFTER UPDATE ON Users BEGIN
            INSERT INTO {SearchTable} ({SearchTable}, rowid, NameKey, EmailKey)
                SELECT 'delete', Seq, NameKey, EmailKey FROM {Table}
                WHERE Id = old.Id AND (NameKey IS NOT new.NormalizedName OR EmailKey IS NOT new.NormalizedEmail);
            INSERT INTO {SearchTable} (rowid, NameKey, EmailKey)
                SELECT Seq, new.NormalizedName, new.NormalizedEmail FROM {Table}
                WHERE Id = old.Id AND (NameKey IS NOT new.NormalizedName OR EmailKey IS NOT new.NormalizedEmail);
            UPDATE {Table} SET Id = new.Id, Name = new.Name, NameKey = new.NormalizedName, Email = new.Email,
                EmailKey = new.NormalizedEmail, Role = new.Role, Status = new.Status, CreatedAt = new.CreatedAt,
                UpdatedAt = new.UpdatedAt, LastSignInAt = new.LastSignInAt, LockedUntil = new.LockedUntil, Version = new.Version
            WHERE Id = old.Id AND ({Changed(UserColumns)});
            UPDATE {CountsTable} SET Count = Count - 1
                WHERE Role = old.Role AND Status = old.Status AND (old.Role IS NOT new.Role OR old.Status IS NOT new.Status);
            INSERT INTO {CountsTable} (Role, Status, Count)
                SELECT new.Role, new.Status, 1 WHERE old.Role IS NOT new.Role OR old.Status IS NOT new.Status
                ON CONFLICT (Role, Status) DO UPDATE SET Count = Count + 1;
            UPDATE {ChangesTable} SET Version = Version + 1 WHERE {Changed(OrderColumns)};
        END;
        """;

    /// <summary>
    /// The columns of Users the list's orders read (each sort key, and Id, which breaks ties): an update that
    /// changes none of them (a failed sign-in, a lockout, a new session stamp) moves no row in any order, so it
    /// leaves the change counter, and the page anchors it keys, as they are.
    /// </summary>
    private const string OrderColumns = "Id, NormalizedName, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt, LastSignInAt";

    /// <summary>A condition, for an update trigger, that is true when any of <paramref name="columns"/> changed.</summary>
    private static string Changed(string columns) =>
        string.Join(" OR ", columns.Split(", ").Select(c => $"old.{c} IS NOT new.{c}"));
}
