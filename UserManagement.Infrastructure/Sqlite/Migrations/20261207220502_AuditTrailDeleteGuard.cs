using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserManagement.Infrastructure.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrailDeleteGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written SQL (a DELETE of an entry only by retention pruning): kept in SqliteAuditTrailSql.
            Sqlite.Audit.SqliteAuditTrailSql.CreateDeleteGuard(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Sqlite.Audit.SqliteAuditTrailSql.DropDeleteGuard(migrationBuilder);
        }
    }
}
