using Microsoft.EntityFrameworkCore.Migrations;

namespace UserManagement.Infrastructure.Sqlite.Audit;

/// <summary>
/// The audit trail's hand-written SQL, kept out of the generated migration so that it survives regenerating it:
/// the trigger that refuses any UPDATE of an entry, the one that refuses a DELETE other than retention pruning
/// (<see cref="CreateDeleteGuard"/>), and the full-text index (FTS5, trigram tokenizer: substring search in any
/// case, for 3 characters or more) that triggers keep in step with inserts and deletions (pruning). Every statement
/// can run again. A migration that rebuilds the AuditEntries table (SQLite drops a table's triggers with it) must
/// call <see cref="Create"/> and <see cref="CreateDeleteGuard"/> again;
/// <c>AuditRetentionTests.Should_have_the_append_only_trigger_and_the_search_index_after_every_migration</c> fails
/// if the triggers are missing.
/// </summary>
public static class SqliteAuditTrailSql
{
    public const string Table = "AuditEntries";
    public const string SearchTable = "AuditEntrySearch";
    public const string AppendOnlyTrigger = "AuditEntries_AppendOnly";
    public const string AppendOnlyMessage = AuditTrail.AppendOnlyGuard.UpdateRefused;

    public const string DeleteGuardTrigger = "AuditEntries_DeleteOnlyByPruning";
    public const string DeleteGuardMessage = AuditTrail.AppendOnlyGuard.DeleteRefused;

    /// <summary>One row: the cut-off of the pruning in progress in this write transaction, NULL at every other time.</summary>
    public const string PruningTable = "AuditTrailPruning";

    private const string Columns = "ActorName, TargetName, TargetEmail, Changes, Detail";

    public static void Create(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS {AppendOnlyTrigger} BEFORE UPDATE ON {Table}
            BEGIN SELECT RAISE(ABORT, '{AppendOnlyMessage}'); END;
            """);
        migrationBuilder.Sql($"""
            CREATE VIRTUAL TABLE IF NOT EXISTS {SearchTable} USING fts5(
                {Columns}, content='{Table}', content_rowid='Id', tokenize='trigram');
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS AuditEntries_SearchInsert AFTER INSERT ON {Table}
            BEGIN
                INSERT INTO {SearchTable}(rowid, {Columns})
                VALUES (new.Id, new.ActorName, new.TargetName, new.TargetEmail, new.Changes, new.Detail);
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS AuditEntries_SearchDelete AFTER DELETE ON {Table}
            BEGIN
                INSERT INTO {SearchTable}({SearchTable}, rowid, {Columns})
                VALUES ('delete', old.Id, old.ActorName, old.TargetName, old.TargetEmail, old.Changes, old.Detail);
            END;
            """);
        migrationBuilder.Sql($"INSERT INTO {SearchTable}({SearchTable}) VALUES ('rebuild');");
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEntries_SearchDelete;");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEntries_SearchInsert;");
        migrationBuilder.Sql($"DROP TABLE IF EXISTS {SearchTable};");
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {AppendOnlyTrigger};");
    }

    /// <summary>
    /// Refuses a DELETE of an entry unless retention pruning is removing it. A trigger cannot see which connection or
    /// code runs the statement, so pruning says so in the database, inside its own write transaction: it writes its
    /// cut-off into the one row of <see cref="PruningTable"/>, deletes, and sets the row back to NULL before it
    /// commits (<see cref="AppDbContext.RemoveAuditEntriesBeforeAsync"/>). SQLite lets one writer at a time in, and
    /// readers see only what was committed, so no other statement ever finds the cut-off set: every other DELETE,
    /// a raw one included, finds NULL and is refused, and a crash mid-pruning rolls the cut-off back with the
    /// deletions. Even while it is set, only entries older than it can go, the ones pruning selects. It guards against
    /// the application's own mistakes and a stray statement, not against whoever can write the file (they can drop
    /// the trigger): that is for file permissions and backups.
    /// </summary>
    public static void CreateDeleteGuard(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql($"""
            CREATE TABLE IF NOT EXISTS {PruningTable} (
                "Id" INTEGER NOT NULL PRIMARY KEY CHECK ("Id" = 1),
                "Before" TEXT NULL);
            """);
        migrationBuilder.Sql($"""INSERT OR IGNORE INTO {PruningTable} ("Id", "Before") VALUES (1, NULL);""");
        migrationBuilder.Sql($"""
            CREATE TRIGGER IF NOT EXISTS {DeleteGuardTrigger} BEFORE DELETE ON {Table}
            WHEN NOT EXISTS (SELECT 1 FROM {PruningTable} WHERE "Before" IS NOT NULL AND old.OccurredAt < "Before")
            BEGIN SELECT RAISE(ABORT, '{DeleteGuardMessage}'); END;
            """);
    }

    public static void DropDeleteGuard(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {DeleteGuardTrigger};");
        migrationBuilder.Sql($"DROP TABLE IF EXISTS {PruningTable};");
    }

    /// <summary>Pruning begins: entries older than <paramref name="before"/> may be deleted until <see cref="EndPruning"/>.</summary>
    internal static FormattableString BeginPruning(DateTime before) => $"UPDATE AuditTrailPruning SET \"Before\" = {before} WHERE \"Id\" = 1";

    internal const string EndPruning = "UPDATE AuditTrailPruning SET \"Before\" = NULL WHERE \"Id\" = 1";

    /// <summary>The ids of the entries containing <paramref name="text"/>, as one FTS5 phrase (quotes doubled).</summary>
    public static FormattableString Matching(string text) =>
        $"SELECT rowid AS Value FROM AuditEntrySearch WHERE AuditEntrySearch MATCH {Phrase(text)}";

    public static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
