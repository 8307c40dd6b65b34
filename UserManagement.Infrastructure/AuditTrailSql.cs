using Microsoft.EntityFrameworkCore.Migrations;

namespace UserManagement.Infrastructure;

/// <summary>
/// The audit trail's hand-written SQL, kept out of the generated migration so that it survives regenerating it:
/// the trigger that refuses any UPDATE of an entry, and the full-text index (FTS5, trigram tokenizer: substring
/// search in any case, for 3 characters or more) that triggers keep in step with inserts and deletions (pruning).
/// Every statement can run again. A migration that rebuilds the AuditEntries table (SQLite drops a table's triggers
/// with it) must call <see cref="Create"/> again; <c>AuditTrailSqlTests</c> fails if the triggers are missing.
/// </summary>
public static class AuditTrailSql
{
    public const string Table = "AuditEntries";
    public const string SearchTable = "AuditEntrySearch";
    public const string AppendOnlyTrigger = "AuditEntries_AppendOnly";
    public const string AppendOnlyMessage = "Audit entries are append-only: they cannot be changed.";

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

    /// <summary>The ids of the entries containing <paramref name="text"/>, as one FTS5 phrase (quotes doubled).</summary>
    public static FormattableString Matching(string text) =>
        $"SELECT rowid AS Value FROM AuditEntrySearch WHERE AuditEntrySearch MATCH {Phrase(text)}";

    public static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
