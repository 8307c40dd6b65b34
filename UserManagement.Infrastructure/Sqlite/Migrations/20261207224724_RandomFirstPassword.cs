using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserManagement.Infrastructure.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RandomFirstPassword : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "PasswordIsRandom",
                table: "Users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Not EF Core's DropColumn: on SQLite that rebuilds the Users table, which drops the read model's triggers
            // and the columns' defaults. SQLite drops a column in place since 3.35.
            migrationBuilder.Sql("ALTER TABLE \"Users\" DROP COLUMN \"PasswordIsRandom\";");
        }
    }
}
