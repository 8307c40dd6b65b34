using Microsoft.EntityFrameworkCore.Migrations;
using UserManagement.Infrastructure.Sqlite.Users;

#nullable disable

namespace UserManagement.Infrastructure.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddUserReadModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_CreatedAt_Id",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_NormalizedName_Id",
                table: "Users");

            // Hand-written, kept outside this generated file so that it survives regenerating the migration:
            // the list's own table, its indexes, the trigram search index, the counts and the triggers on Users.
            SqliteUserListReadModel.Build(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            SqliteUserListReadModel.Drop(migrationBuilder);

            migrationBuilder.CreateIndex(
                name: "IX_Users_CreatedAt_Id",
                table: "Users",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_NormalizedName_Id",
                table: "Users",
                columns: new[] { "NormalizedName", "Id" });
        }
    }
}
