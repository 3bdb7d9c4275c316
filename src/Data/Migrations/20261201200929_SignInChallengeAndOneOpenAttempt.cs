using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignInChallengeAndOneOpenAttempt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "code_challenge",
                table: "auth_login_states",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "code_challenge",
                table: "auth_login_codes",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            // Databases from before this rule may hold several open attempts of one section: keep the newest.
            migrationBuilder.Sql("""
                DELETE FROM quiz_attempts a USING quiz_attempts b
                WHERE a.submitted_at IS NULL AND b.submitted_at IS NULL
                  AND a.user_id = b.user_id AND a.course_id = b.course_id
                  AND a.module_no = b.module_no AND a.topic_pair_index = b.topic_pair_index
                  AND (a.started_at, a.id) < (b.started_at, b.id)
                """);

            migrationBuilder.CreateIndex(
                name: "ux_quiz_attempts_one_open_per_section",
                table: "quiz_attempts",
                columns: new[] { "user_id", "course_id", "module_no", "topic_pair_index" },
                unique: true,
                filter: "submitted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_quiz_attempts_one_open_per_section",
                table: "quiz_attempts");

            migrationBuilder.DropColumn(
                name: "code_challenge",
                table: "auth_login_states");

            migrationBuilder.DropColumn(
                name: "code_challenge",
                table: "auth_login_codes");
        }
    }
}
