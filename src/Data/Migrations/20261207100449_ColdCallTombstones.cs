using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class ColdCallTombstones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_cold_call_messages_users_user_id",
                table: "cold_call_messages");

            migrationBuilder.AlterColumn<Guid>(
                name: "user_id",
                table: "cold_call_messages",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddForeignKey(
                name: "fk_cold_call_messages_users_user_id",
                table: "cold_call_messages",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Tombstones have no author to go back to; their replies go with them (the old cascade).
            migrationBuilder.Sql("DELETE FROM cold_call_messages WHERE user_id IS NULL");

            migrationBuilder.DropForeignKey(
                name: "fk_cold_call_messages_users_user_id",
                table: "cold_call_messages");

            migrationBuilder.AlterColumn<Guid>(
                name: "user_id",
                table: "cold_call_messages",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AddForeignKey(
                name: "fk_cold_call_messages_users_user_id",
                table: "cold_call_messages",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
