using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Migrations;
using UserManagement.Infrastructure.AuditTrail;

namespace UserManagement.Infrastructure.PostgreSql.Audit;

/// <summary>
/// The audit trail's hand-written SQL on PostgreSQL (ADR 0031), kept out of the generated migration so that it
/// survives regenerating it; every statement can run again.
/// <list type="bullet">
/// <item>Append-only: statement-level triggers refuse any UPDATE, DELETE or TRUNCATE of <c>"AuditEntries"</c>, with the
/// messages of SQLite's triggers, except a DELETE while the transaction-local setting <see cref="PruningSetting"/> is
/// <c>on</c>, which only retention pruning sets (<see cref="BeginPruning"/>, <see cref="AppDbContext.RemoveAuditEntriesBeforeAsync"/>).
/// A trigger cannot see which code runs the statement; like SQLite's pruning row, the setting guards against the
/// app's own mistakes and a stray statement, not against whoever may run SQL as the database's owner (they can drop
/// the trigger): that is for the server's roles and backups.</item>
/// <item>Search: a trigram GIN index over the searched fields folded to lower case by ICU (<c>und-x-icu</c>, whatever
/// the database's locale), so "ÉLODIE" finds "élodie" as SQLite's FTS5 trigram index does, and a substring
/// <c>LIKE</c> on the same expression (<see cref="Matching"/>) is answered from the index.</item>
/// </list>
/// </summary>
public static class PostgreSqlAuditTrailSql
{
    public const string Table = "AuditEntries";

    /// <summary>Set to <c>on</c> for the rest of the transaction by pruning only; DELETEs pass while it is.</summary>
    public const string PruningSetting = "usermanagement.audit_pruning";

    public const string AppendOnlyTrigger = "AuditEntries_AppendOnly";
    public const string NoTruncateTrigger = "AuditEntries_NoTruncate";
    public const string GuardFunction = "audit_entries_append_only";
    public const string SearchIndex = "IX_AuditEntries_Search";

    // The searched fields as one text, folded by ICU: exactly this expression is indexed and searched.
    private const string Searched = """
        lower((coalesce("ActorName", '') || E'\n' || coalesce("TargetName", '') || E'\n' || coalesce("TargetEmail", '')
            || E'\n' || coalesce("Changes", '') || E'\n' || coalesce("Detail", '')) COLLATE "und-x-icu")
        """;

    // The term is the one parameter ({0}); the expression is the index's, word for word.
    private const string MatchingSql = $$"""
        SELECT "Id" AS "Value" FROM "AuditEntries"
        WHERE {{Searched}} LIKE '%' || lower({0} COLLATE "und-x-icu") || '%'
        """;

    public static void Create(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
        migrationBuilder.Sql($$"""
            CREATE OR REPLACE FUNCTION {{GuardFunction}}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND current_setting('{{PruningSetting}}', true) = 'on' THEN
                    RETURN NULL;
                END IF;
                RAISE EXCEPTION '%', CASE TG_OP
                    WHEN 'UPDATE' THEN '{{AppendOnlyGuard.UpdateRefused}}'
                    ELSE '{{AppendOnlyGuard.DeleteRefused}}' END
                    USING ERRCODE = 'restrict_violation';
            END;
            $$;
            """);
        migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{AppendOnlyTrigger}" ON "{Table}";""");
        migrationBuilder.Sql($"""
            CREATE TRIGGER "{AppendOnlyTrigger}" BEFORE UPDATE OR DELETE ON "{Table}"
            FOR EACH STATEMENT EXECUTE FUNCTION {GuardFunction}();
            """);
        migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{NoTruncateTrigger}" ON "{Table}";""");
        migrationBuilder.Sql($"""
            CREATE TRIGGER "{NoTruncateTrigger}" BEFORE TRUNCATE ON "{Table}"
            FOR EACH STATEMENT EXECUTE FUNCTION {GuardFunction}();
            """);
        migrationBuilder.Sql($"""CREATE INDEX IF NOT EXISTS "{SearchIndex}" ON "{Table}" USING gin (({Searched}) gin_trgm_ops);""");
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql($"""DROP INDEX IF EXISTS "{SearchIndex}";""");
        migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{NoTruncateTrigger}" ON "{Table}";""");
        migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{AppendOnlyTrigger}" ON "{Table}";""");
        migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {GuardFunction}();");
    }

    /// <summary>Pruning begins: DELETEs of entries pass until <see cref="EndPruning"/> or the end of the transaction.</summary>
    internal const string BeginPruning = $"SELECT set_config('{PruningSetting}', 'on', true)";

    internal const string EndPruning = $"SELECT set_config('{PruningSetting}', 'off', true)";

    /// <summary>
    /// The ids of the entries containing <paramref name="text"/> in any case: a substring <c>LIKE</c> (its <c>%</c>,
    /// <c>_</c> and <c>\</c> escaped, so they match themselves) on the indexed expression.
    /// </summary>
    public static FormattableString Matching(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
        return FormattableStringFactory.Create(MatchingSql, escaped);
    }
}
