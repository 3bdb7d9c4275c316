using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class TutorApplicationApplicantAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "applicant_user_id",
                table: "tutor_applications",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tutor_applications_applicant_user_id",
                table: "tutor_applications",
                column: "applicant_user_id");

            migrationBuilder.AddForeignKey(
                name: "fk_tutor_applications_users_applicant_user_id",
                table: "tutor_applications",
                column: "applicant_user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_tutor_applications_users_applicant_user_id",
                table: "tutor_applications");

            migrationBuilder.DropIndex(
                name: "ix_tutor_applications_applicant_user_id",
                table: "tutor_applications");

            migrationBuilder.DropColumn(
                name: "applicant_user_id",
                table: "tutor_applications");
        }
    }
}
