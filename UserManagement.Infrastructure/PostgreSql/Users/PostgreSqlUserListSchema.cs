using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// The users list's read model on PostgreSQL, the same shape as SQLite's (ADR 0030): its own table
/// (<c>UserListEntries</c>) with an index per sort key, a <c>pg_trgm</c> GIN index over the folded name and email, the
/// number of users per role and status (<c>UserListCounts</c>) and the change counter (<c>UserListChanges</c>).
/// PL/pgSQL triggers on <c>Users</c> keep them in step inside the writing transaction, whatever writes the row.
/// </summary>
/// <remarks>
/// The keys are <c>COLLATE "C"</c>: code-point order, as SQLite's BINARY, so both databases sort and page alike. The
/// keys are folded in .NET (<c>UserRules.NameKey</c>/<c>EmailKey</c>) on both, so a search compares them as they are.
/// <see cref="PostgreSqlUserListReadModel.EnsureAsync"/> builds the read model at start-up when any part is missing.
/// </remarks>
public static class PostgreSqlUserListSchema
{
    public const string Table = "\"UserListEntries\"";
    public const string CountsTable = "\"UserListCounts\"";

    /// <summary>One row whose <c>"Version"</c> the triggers bump whenever a write can move a row in one of the list's orders.</summary>
    public const string ChangesTable = "\"UserListChanges\"";

    /// <summary>The trigram index: pg_trgm's GIN over <see cref="SearchText"/>.</summary>
    public const string SearchIndex = "IX_UserListEntries_search";

    /// <summary>
    /// What the trigram index holds for a row: its name key and its email key with a line break between them (no key
    /// holds one), so that a term is found in either but never across the two.
    /// </summary>
    public const string SearchText = "(\"NameKey\" || E'\\n' || \"EmailKey\")";

    /// <summary>The triggers on Users (and their functions, of the same names).</summary>
    public static IReadOnlyList<string> UserTriggers { get; } =
        ["UserList_AfterInsertUser", "UserList_AfterUpdateUser", "UserList_AfterDeleteUser"];

    /// <summary>The tables and indexes the start-up check looks for, beside the triggers.</summary>
    public static IReadOnlyList<string> Relations { get; } =
        [Table, CountsTable, ChangesTable, Quoted(SearchIndex), Quoted(UserListIndexes.GroupIndex),
            .. UserListIndexes.SortColumns.Keys.Select(k => Quoted(UserListIndexes.SortIndex(k)))];

    /// <summary>The stored column each sort key orders by, quoted.</summary>
    public static string SortColumn(string sortKey) => Quoted(UserListIndexes.SortColumns[sortKey]);

    /// <summary>Whether the sort key's column is a timestamp (its cursor key is a round-trip date, "O").</summary>
    public static bool IsDateSort(string sortKey) => UserListIndexes.SortColumns[sortKey] is "CreatedAt" or "UpdatedAt" or "LastSignInKey";

    public static string Quoted(string name) => $"\"{name}\"";

    private const string EntryColumns =
        "\"Id\", \"Name\", \"NameKey\", \"Email\", \"EmailKey\", \"Role\", \"Status\", \"CreatedAt\", \"UpdatedAt\", \"LastSignInAt\", \"LockedUntil\", \"Version\"";

    private static readonly string[] UserColumns =
        ["Id", "Name", "NormalizedName", "Email", "NormalizedEmail", "Role", "Status", "CreatedAt", "UpdatedAt", "LastSignInAt", "LockedUntil", "Version"];

    /// <summary>The columns of Users the list's orders read (each sort key, and Id): only their change bumps the counter.</summary>
    private static readonly string[] OrderColumns =
        ["Id", "NormalizedName", "NormalizedEmail", "Role", "Status", "CreatedAt", "UpdatedAt", "LastSignInAt"];

    public static string DropSql => $"""
        {string.Concat(UserTriggers.Select(t => $"DROP TRIGGER IF EXISTS \"{t}\" ON \"Users\";\nDROP FUNCTION IF EXISTS \"{t}\"();\n"))}
        DROP TABLE IF EXISTS {CountsTable};
        DROP TABLE IF EXISTS {Table};
        """;

    /// <summary>The steps that build the read model from the Users table as it is, each with what it does.</summary>
    public static IReadOnlyList<(string Name, string Sql)> BuildSteps { get; } = CreateSteps();

    private static List<(string Name, string Sql)> CreateSteps()
    {
        var steps = new List<(string Name, string Sql)>
        {
            // A trusted extension (PostgreSQL 13 and later): the database's owner may create it.
            ("make sure pg_trgm is there", "CREATE EXTENSION IF NOT EXISTS pg_trgm;"),
            ("drop what an earlier build left", DropSql),
            ("copy every user into the list table", $"""
                CREATE TABLE {Table} (
                    "Seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    "Id" uuid NOT NULL,
                    "Name" text NOT NULL,
                    "NameKey" text COLLATE "C" NOT NULL,
                    "Email" text NOT NULL,
                    "EmailKey" text COLLATE "C" NOT NULL,
                    "Role" text COLLATE "C" NOT NULL,
                    "Status" text COLLATE "C" NOT NULL,
                    "CreatedAt" timestamptz NOT NULL,
                    "UpdatedAt" timestamptz NOT NULL,
                    "LastSignInAt" timestamptz NULL,
                    "LastSignInKey" timestamptz NOT NULL GENERATED ALWAYS AS (coalesce("LastSignInAt", '0001-01-01 00:00:00+00')) STORED,
                    "LockedUntil" timestamptz NULL,
                    "Version" bigint NOT NULL);
                INSERT INTO {Table} ({EntryColumns}) SELECT {string.Join(", ", UserColumns.Select(Quoted))} FROM "Users" ORDER BY "Id";
                CREATE UNIQUE INDEX "IX_UserListEntries_Id" ON {Table} ("Id");
                """),
        };

        foreach (var (sortKey, column) in UserListIndexes.SortColumns)
        {
            steps.Add(($"index the {sortKey} order", $"CREATE INDEX {Quoted(UserListIndexes.SortIndex(sortKey))} ON {Table} ({Quoted(column)}, \"Id\");"));
        }

        steps.Add(("index role and status in name order",
            $"CREATE INDEX {Quoted(UserListIndexes.GroupIndex)} ON {Table} (\"Role\", \"Status\", \"NameKey\", \"Id\");"));
        steps.Add(("count users per role and status", $"""
            CREATE TABLE {CountsTable} (
                "Role" text COLLATE "C" NOT NULL,
                "Status" text COLLATE "C" NOT NULL,
                "Count" bigint NOT NULL,
                PRIMARY KEY ("Role", "Status"));
            INSERT INTO {CountsTable} ("Role", "Status", "Count") SELECT "Role", "Status", count(*) FROM {Table} GROUP BY "Role", "Status";
            """));
        steps.Add(("build the trigram search index over names and emails",
            $"CREATE INDEX {Quoted(SearchIndex)} ON {Table} USING gin ({SearchText} gin_trgm_ops);"));
        steps.Add(("count the changes to the list's orders", $"""
            CREATE TABLE IF NOT EXISTS {ChangesTable} ("Id" integer PRIMARY KEY CHECK ("Id" = 1), "Version" bigint NOT NULL);
            INSERT INTO {ChangesTable} ("Id", "Version") VALUES (1, 0) ON CONFLICT ("Id") DO NOTHING;
            UPDATE {ChangesTable} SET "Version" = "Version" + 1;
            """));
        steps.Add(("keep the read model in step with Users", Triggers));
        steps.Add(("gather the list's statistics", $"ANALYZE {Table}; ANALYZE {CountsTable};"));
        return steps;
    }

    private static string Triggers => $"""
        CREATE FUNCTION "UserList_AfterInsertUser"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {Table} ({EntryColumns}) VALUES ({string.Join(", ", UserColumns.Select(c => $"NEW.{Quoted(c)}"))});
            INSERT INTO {CountsTable} ("Role", "Status", "Count") VALUES (NEW."Role", NEW."Status", 1)
                ON CONFLICT ("Role", "Status") DO UPDATE SET "Count" = {CountsTable}."Count" + 1;
            UPDATE {ChangesTable} SET "Version" = "Version" + 1;
            RETURN NULL;
        END $$;

        CREATE FUNCTION "UserList_AfterDeleteUser"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {Table} WHERE "Id" = OLD."Id";
            UPDATE {CountsTable} SET "Count" = "Count" - 1 WHERE "Role" = OLD."Role" AND "Status" = OLD."Status";
            UPDATE {ChangesTable} SET "Version" = "Version" + 1;
            RETURN NULL;
        END $$;

        CREATE FUNCTION "UserList_AfterUpdateUser"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- An update that changes nothing the list shows (a session stamp, a failed sign-in count) leaves its row alone.
            IF {Changed(UserColumns)} THEN
                UPDATE {Table} SET {string.Join(", ", EntryColumns.Split(", ").Zip(UserColumns, (e, u) => $"{e} = NEW.{Quoted(u)}"))}
                WHERE "Id" = OLD."Id";
            END IF;
            -- Both count rows in one statement, in key order: two opposite role changes at once lock them in the same order.
            IF {Changed(["Role", "Status"])} THEN
                INSERT INTO {CountsTable} ("Role", "Status", "Count")
                    SELECT c."Role", c."Status", c."Change"
                    FROM (VALUES (OLD."Role"::text, OLD."Status"::text, -1), (NEW."Role"::text, NEW."Status"::text, 1)) AS c ("Role", "Status", "Change")
                    ORDER BY c."Role" COLLATE "C", c."Status" COLLATE "C"
                    ON CONFLICT ("Role", "Status") DO UPDATE SET "Count" = {CountsTable}."Count" + EXCLUDED."Count";
            END IF;
            IF {Changed(OrderColumns)} THEN
                UPDATE {ChangesTable} SET "Version" = "Version" + 1;
            END IF;
            RETURN NULL;
        END $$;

        {string.Concat(UserTriggers.Select(t => $"CREATE TRIGGER \"{t}\" AFTER {t["UserList_After".Length..^"User".Length].ToUpperInvariant()} ON \"Users\" FOR EACH ROW EXECUTE FUNCTION \"{t}\"();\n"))}
        """;

    /// <summary>True when any of <paramref name="columns"/> of Users changed (NULL to NULL is no change).</summary>
    private static string Changed(IEnumerable<string> columns) =>
        $"({string.Join(", ", columns.Select(c => $"OLD.{Quoted(c)}"))}) IS DISTINCT FROM ({string.Join(", ", columns.Select(c => $"NEW.{Quoted(c)}"))})";
}
