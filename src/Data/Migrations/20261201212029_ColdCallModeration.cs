using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class ColdCallModeration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "hidden_at",
                table: "cold_call_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "hidden_by_id",
                table: "cold_call_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_hidden_by_id",
                table: "cold_call_messages",
                column: "hidden_by_id");

            migrationBuilder.AddForeignKey(
                name: "fk_cold_call_messages_users_hidden_by_id",
                table: "cold_call_messages",
                column: "hidden_by_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_cold_call_messages_users_hidden_by_id",
                table: "cold_call_messages");

            migrationBuilder.DropIndex(
                name: "ix_cold_call_messages_hidden_by_id",
                table: "cold_call_messages");

            migrationBuilder.DropColumn(
                name: "hidden_at",
                table: "cold_call_messages");

            migrationBuilder.DropColumn(
                name: "hidden_by_id",
                table: "cold_call_messages");
        }
    }
}
