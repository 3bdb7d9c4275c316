using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditRowsKeepActorEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "actor_email",
                table: "admin_audit_entries",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            // Rows written before the column existed take the email of their actor, while the account still exists.
            migrationBuilder.Sql("UPDATE admin_audit_entries a SET actor_email = u.email FROM users u WHERE a.actor_id = u.id;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "actor_email",
                table: "admin_audit_entries");
        }
    }
}
