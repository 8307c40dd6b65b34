using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserManagement.Infrastructure.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PageAnchorsAndTrigramCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The change counter that page anchors are keyed by, the triggers again, now bumping it, and the
            // users per search trigram that a long search picks its rarest trigrams by (ADR 0022).
            Sqlite.Users.SqliteUserListReadModel.AddChangeCounterAndTrigramCounts(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The counter and the triggers that bump it stay: a read model without anchors ignores them, and an
            // older version's rebuild of the read model replaces the triggers with its own.
        }
    }
}
