using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class TutorApplicationsAndPasswordSetup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tutor_applications_email",
                table: "tutor_applications");

            migrationBuilder.AddColumn<string>(
                name: "motivation",
                table: "tutor_applications",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            // No endpoint wrote applications before this migration; keep whatever an earlier import put in bio.
            migrationBuilder.Sql("UPDATE tutor_applications SET motivation = left(coalesce(bio, headline, ''), 4000)");

            migrationBuilder.DropColumn(
                name: "bio",
                table: "tutor_applications");

            migrationBuilder.DropColumn(
                name: "headline",
                table: "tutor_applications");

            migrationBuilder.DropColumn(
                name: "linked_in_url",
                table: "tutor_applications");

            migrationBuilder.DropColumn(
                name: "phone",
                table: "tutor_applications");

            migrationBuilder.AddColumn<string[]>(
                name: "links",
                table: "tutor_applications",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);


            migrationBuilder.CreateTable(
                name: "password_setup_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_password_setup_tokens", x => x.id);
                    table.CheckConstraint("ck_password_setup_tokens_expiry", "expires_at > created_at");
                    table.CheckConstraint("ck_password_setup_tokens_hash_length", "octet_length(token_hash) = 32");
                    table.ForeignKey(
                        name: "fk_password_setup_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ux_tutor_applications_pending_email",
                table: "tutor_applications",
                column: "email",
                unique: true,
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_password_setup_tokens_token_hash",
                table: "password_setup_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_password_setup_tokens_user_id",
                table: "password_setup_tokens",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "password_setup_tokens");

            migrationBuilder.DropIndex(
                name: "ux_tutor_applications_pending_email",
                table: "tutor_applications");

            migrationBuilder.DropColumn(
                name: "links",
                table: "tutor_applications");

            migrationBuilder.DropColumn(
                name: "motivation",
                table: "tutor_applications");

            migrationBuilder.AddColumn<string>(
                name: "bio",
                table: "tutor_applications",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "headline",
                table: "tutor_applications",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "linked_in_url",
                table: "tutor_applications",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "phone",
                table: "tutor_applications",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tutor_applications_email",
                table: "tutor_applications",
                column: "email");
        }
    }
}
