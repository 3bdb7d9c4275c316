using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrderRefundDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A retry delay an ended order kept from before every change of state cleared it would now read as "refund due".
            migrationBuilder.Sql("UPDATE orders SET reconcile_after = NULL WHERE status <> 'pending' AND reconcile_after IS NOT NULL;");
            migrationBuilder.CreateIndex(
                name: "ix_orders_refund_due",
                table: "orders",
                column: "reconcile_after",
                filter: "status = 'paid' AND reconcile_after IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_refund_due",
                table: "orders");
        }
    }
}
