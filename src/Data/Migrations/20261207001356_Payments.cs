using System;
using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class Payments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:Enum:chat_role", "assistant,system,user")
                .Annotation("Npgsql:Enum:content_type", "image,ppt,text,video")
                .Annotation("Npgsql:Enum:enrollment_mode", "cohort,open")
                .Annotation("Npgsql:Enum:enrollment_source", "admin,checkout,cohort,free")
                .Annotation("Npgsql:Enum:enrollment_status", "active,pending_payment")
                .Annotation("Npgsql:Enum:ingestion_status", "failed,queued,running,succeeded")
                .Annotation("Npgsql:Enum:order_status", "cancelled,expired,paid,pending,refunded")
                .Annotation("Npgsql:Enum:progress_status", "completed,in_progress,not_started")
                .Annotation("Npgsql:Enum:study_persona", "adventure,cooking,normal,sports")
                .Annotation("Npgsql:Enum:tutor_application_status", "approved,pending,rejected")
                .Annotation("Npgsql:Enum:tutor_persona", "english_hesitant,last_minute_panic,non_it_migrant,pseudo_coder,rote_memorizer")
                .Annotation("Npgsql:Enum:user_role", "admin,learner,tutor")
                .Annotation("Npgsql:PostgresExtension:vector", ",,")
                .OldAnnotation("Npgsql:Enum:chat_role", "assistant,system,user")
                .OldAnnotation("Npgsql:Enum:content_type", "image,ppt,text,video")
                .OldAnnotation("Npgsql:Enum:enrollment_mode", "cohort,open")
                .OldAnnotation("Npgsql:Enum:enrollment_source", "admin,checkout,cohort,free")
                .OldAnnotation("Npgsql:Enum:enrollment_status", "active,pending_payment")
                .OldAnnotation("Npgsql:Enum:ingestion_status", "failed,queued,running,succeeded")
                .OldAnnotation("Npgsql:Enum:progress_status", "completed,in_progress,not_started")
                .OldAnnotation("Npgsql:Enum:study_persona", "adventure,cooking,normal,sports")
                .OldAnnotation("Npgsql:Enum:tutor_application_status", "approved,pending,rejected")
                .OldAnnotation("Npgsql:Enum:tutor_persona", "english_hesitant,last_minute_panic,non_it_migrant,pseudo_coder,rote_memorizer")
                .OldAnnotation("Npgsql:Enum:user_role", "admin,learner,tutor")
                .OldAnnotation("Npgsql:PostgresExtension:vector", ",,");

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<OrderStatus>(type: "order_status", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    provider_session_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    checkout_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    session_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    provider_payment_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    refunded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                    table.CheckConstraint("ck_orders_amount", "amount > 0");
                    table.ForeignKey(
                        name: "fk_orders_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "processed_payment_events",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    type = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_payment_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "order_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    provider_event_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_order_events_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "order_lines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    course_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    price = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_lines", x => x.id);
                    table.CheckConstraint("ck_order_lines_price", "price > 0");
                    table.ForeignKey(
                        name: "fk_order_lines_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_order_lines_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_order_events_order_id_created_at",
                table: "order_events",
                columns: new[] { "order_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_order_lines_course_id",
                table: "order_lines",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_order_lines_order_id_course_id",
                table: "order_lines",
                columns: new[] { "order_id", "course_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_provider_payment_id",
                table: "orders",
                column: "provider_payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_provider_session_id",
                table: "orders",
                column: "provider_session_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_status_created_at",
                table: "orders",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_user_id_created_at",
                table: "orders",
                columns: new[] { "user_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_events");

            migrationBuilder.DropTable(
                name: "order_lines");

            migrationBuilder.DropTable(
                name: "processed_payment_events");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:Enum:chat_role", "assistant,system,user")
                .Annotation("Npgsql:Enum:content_type", "image,ppt,text,video")
                .Annotation("Npgsql:Enum:enrollment_mode", "cohort,open")
                .Annotation("Npgsql:Enum:enrollment_source", "admin,checkout,cohort,free")
                .Annotation("Npgsql:Enum:enrollment_status", "active,pending_payment")
                .Annotation("Npgsql:Enum:ingestion_status", "failed,queued,running,succeeded")
                .Annotation("Npgsql:Enum:progress_status", "completed,in_progress,not_started")
                .Annotation("Npgsql:Enum:study_persona", "adventure,cooking,normal,sports")
                .Annotation("Npgsql:Enum:tutor_application_status", "approved,pending,rejected")
                .Annotation("Npgsql:Enum:tutor_persona", "english_hesitant,last_minute_panic,non_it_migrant,pseudo_coder,rote_memorizer")
                .Annotation("Npgsql:Enum:user_role", "admin,learner,tutor")
                .Annotation("Npgsql:PostgresExtension:vector", ",,")
                .OldAnnotation("Npgsql:Enum:chat_role", "assistant,system,user")
                .OldAnnotation("Npgsql:Enum:content_type", "image,ppt,text,video")
                .OldAnnotation("Npgsql:Enum:enrollment_mode", "cohort,open")
                .OldAnnotation("Npgsql:Enum:enrollment_source", "admin,checkout,cohort,free")
                .OldAnnotation("Npgsql:Enum:enrollment_status", "active,pending_payment")
                .OldAnnotation("Npgsql:Enum:ingestion_status", "failed,queued,running,succeeded")
                .OldAnnotation("Npgsql:Enum:order_status", "cancelled,expired,paid,pending,refunded")
                .OldAnnotation("Npgsql:Enum:progress_status", "completed,in_progress,not_started")
                .OldAnnotation("Npgsql:Enum:study_persona", "adventure,cooking,normal,sports")
                .OldAnnotation("Npgsql:Enum:tutor_application_status", "approved,pending,rejected")
                .OldAnnotation("Npgsql:Enum:tutor_persona", "english_hesitant,last_minute_panic,non_it_migrant,pseudo_coder,rote_memorizer")
                .OldAnnotation("Npgsql:Enum:user_role", "admin,learner,tutor")
                .OldAnnotation("Npgsql:PostgresExtension:vector", ",,");
        }
    }
}
