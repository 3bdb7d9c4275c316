using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class ColdCallOneRootPerCohort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_cold_call_messages_one_root_per_user",
                table: "cold_call_messages");

            migrationBuilder.CreateIndex(
                name: "ux_cold_call_messages_one_root_per_user_and_cohort",
                table: "cold_call_messages",
                columns: new[] { "prompt_id", "user_id", "cohort_id" },
                unique: true,
                filter: "parent_id IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_cold_call_messages_one_root_per_user_and_cohort",
                table: "cold_call_messages");

            migrationBuilder.CreateIndex(
                name: "ux_cold_call_messages_one_root_per_user",
                table: "cold_call_messages",
                columns: new[] { "prompt_id", "user_id" },
                unique: true,
                filter: "parent_id IS NULL");
        }
    }
}
