using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserManagement.Infrastructure.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ListOrderChangesOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The triggers again: an update that moves no row in the list's orders (a failed sign-in, a lockout)
            // no longer bumps the change counter, so the page anchors stay in use (ADR 0022).
            Sqlite.Users.SqliteUserListReadModel.ReplaceTriggers(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The triggers stay: they keep the read model as the earlier ones did, and bump the counter whenever
            // a row can move, which is all the anchors of any version rely on.
        }
    }
}
