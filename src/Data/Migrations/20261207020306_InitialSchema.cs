using System;
using System.Text.Json;
using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;
using Pgvector;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
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
                .Annotation("Npgsql:PostgresExtension:vector", ",,");

            migrationBuilder.CreateTable(
                name: "auth_login_states",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    state_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    code_verifier = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    nonce = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    redirect_uri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    code_challenge = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    consumed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auth_login_states", x => x.id);
                    table.CheckConstraint("ck_auth_login_states_hash_length", "octet_length(state_hash) = 32");
                });

            migrationBuilder.CreateTable(
                name: "courses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    thumbnail_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    price = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    is_published = table.Column<bool>(type: "boolean", nullable: false),
                    enrollment_mode = table.Column<EnrollmentMode>(type: "enrollment_mode", nullable: false),
                    module_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_courses", x => x.id);
                    table.CheckConstraint("ck_courses_currency", "currency ~ '^[A-Z]{3}$'");
                    table.CheckConstraint("ck_courses_module_count", "module_count >= 0");
                    table.CheckConstraint("ck_courses_price", "price >= 0");
                    table.CheckConstraint("ck_courses_slug_format", "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'");
                });

            migrationBuilder.CreateTable(
                name: "page_content",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_page_content", x => x.id);
                    table.CheckConstraint("ck_page_content_slug_format", "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'");
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
                name: "rate_limit_counters",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    window_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rate_limit_counters", x => x.id);
                    table.CheckConstraint("ck_rate_limit_counters_count", "count >= 0");
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    full_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    picture_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    role = table.Column<UserRole>(type: "user_role", nullable: false),
                    auth_provider = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    provider_subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_login_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.CheckConstraint("ck_users_email_normalized", "email = lower(btrim(email)) AND email <> ''");
                    table.CheckConstraint("ck_users_provider_pair", "(auth_provider IS NULL) = (provider_subject IS NULL)");
                });

            migrationBuilder.CreateTable(
                name: "cohorts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: true),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohorts", x => x.id);
                    table.CheckConstraint("ck_cohorts_dates", "starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_cohorts_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "quiz_questions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    module_no = table.Column<int>(type: "integer", nullable: false),
                    topic_pair_index = table.Column<int>(type: "integer", nullable: false),
                    question = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    explanation = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quiz_questions", x => x.id);
                    table.CheckConstraint("ck_quiz_questions_module_no", "module_no > 0");
                    table.CheckConstraint("ck_quiz_questions_topic_pair_index", "topic_pair_index > 0");
                    table.ForeignKey(
                        name: "fk_quiz_questions_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "topics",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    module_no = table.Column<int>(type: "integer", nullable: false),
                    topic_number = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_preview = table.Column<bool>(type: "boolean", nullable: false),
                    video_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    ppt_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    text_content = table.Column<string>(type: "text", nullable: true),
                    text_content_sports = table.Column<string>(type: "text", nullable: true),
                    text_content_cooking = table.Column<string>(type: "text", nullable: true),
                    text_content_adventure = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topics", x => x.id);
                    table.CheckConstraint("ck_topics_module_no", "module_no > 0");
                    table.CheckConstraint("ck_topics_topic_number", "topic_number > 0");
                    table.ForeignKey(
                        name: "fk_topics_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "admin_audit_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    path = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    resource_type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: true),
                    before = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    after = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_admin_audit_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_admin_audit_entries_users_actor_id",
                        column: x => x.actor_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "auth_login_codes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    code_challenge = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    consumed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auth_login_codes", x => x.id);
                    table.CheckConstraint("ck_auth_login_codes_hash_length", "octet_length(code_hash) = 32");
                    table.ForeignKey(
                        name: "fk_auth_login_codes_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cart_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    price = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    discounted_price = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: true),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    saved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cart_items", x => x.id);
                    table.CheckConstraint("ck_cart_items_price", "price >= 0 AND (discounted_price IS NULL OR (discounted_price >= 0 AND discounted_price <= price))");
                    table.ForeignKey(
                        name: "fk_cart_items_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cart_items_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cart_lines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    unit_price = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cart_lines", x => x.id);
                    table.CheckConstraint("ck_cart_lines_price", "unit_price >= 0");
                    table.ForeignKey(
                        name: "fk_cart_lines_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cart_lines_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "learner_persona_profiles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    persona_key = table.Column<LearnerPersona>(type: "tutor_persona", nullable: false),
                    reasoning = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    survey_answers = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    classified_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_learner_persona_profiles", x => x.id);
                    table.ForeignKey(
                        name: "fk_learner_persona_profiles_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_learner_persona_profiles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "module_progress",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    module_no = table.Column<int>(type: "integer", nullable: false),
                    unlocked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    passed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cooldown_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    best_score = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_module_progress", x => x.id);
                    table.CheckConstraint("ck_module_progress_best_score", "best_score IS NULL OR (best_score >= 0 AND best_score <= 100)");
                    table.CheckConstraint("ck_module_progress_module_no", "module_no > 0");
                    table.ForeignKey(
                        name: "fk_module_progress_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_module_progress_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "module_prompt_usage",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    module_no = table.Column<int>(type: "integer", nullable: false),
                    used_count = table.Column<int>(type: "integer", nullable: false),
                    window_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    window_ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_module_prompt_usage", x => x.id);
                    table.CheckConstraint("ck_module_prompt_usage_module_no", "module_no > 0");
                    table.CheckConstraint("ck_module_prompt_usage_used_count", "used_count >= 0");
                    table.CheckConstraint("ck_module_prompt_usage_window", "window_ends_at > window_started_at");
                    table.ForeignKey(
                        name: "fk_module_prompt_usage_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_module_prompt_usage_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateTable(
                name: "quiz_attempts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    module_no = table.Column<int>(type: "integer", nullable: false),
                    topic_pair_index = table.Column<int>(type: "integer", nullable: false),
                    questions = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    answers = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    question_count = table.Column<int>(type: "integer", nullable: false),
                    correct_count = table.Column<int>(type: "integer", nullable: true),
                    score = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true),
                    passed = table.Column<bool>(type: "boolean", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quiz_attempts", x => x.id);
                    table.CheckConstraint("ck_quiz_attempts_correct_count", "correct_count IS NULL OR (correct_count >= 0 AND correct_count <= question_count)");
                    table.CheckConstraint("ck_quiz_attempts_question_count", "question_count > 0");
                    table.CheckConstraint("ck_quiz_attempts_score", "score IS NULL OR (score >= 0 AND score <= 100)");
                    table.CheckConstraint("ck_quiz_attempts_submitted", "(submitted_at IS NULL) = (score IS NULL)");
                    table.ForeignKey(
                        name: "fk_quiz_attempts_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_quiz_attempts_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "topic_personalization",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    study_persona = table.Column<StudyPersona>(type: "study_persona", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topic_personalization", x => x.id);
                    table.ForeignKey(
                        name: "fk_topic_personalization_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_topic_personalization_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tutor_applications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    full_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    expertise = table.Column<string[]>(type: "text[]", nullable: false),
                    motivation = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    links = table.Column<string[]>(type: "text[]", nullable: false),
                    status = table.Column<TutorApplicationStatus>(type: "tutor_application_status", nullable: false),
                    review_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    applicant_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reviewed_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tutor_applications", x => x.id);
                    table.CheckConstraint("ck_tutor_applications_email_normalized", "email = lower(btrim(email)) AND email <> ''");
                    table.ForeignKey(
                        name: "fk_tutor_applications_users_applicant_user_id",
                        column: x => x.applicant_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_tutor_applications_users_reviewed_by_id",
                        column: x => x.reviewed_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_tutor_applications_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tutors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    headline = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    bio = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    expertise = table.Column<string[]>(type: "text[]", nullable: false),
                    linked_in_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tutors", x => x.id);
                    table.ForeignKey(
                        name: "fk_tutors_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    family_id = table.Column<Guid>(type: "uuid", nullable: false),
                    refresh_token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    rotated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    grace_replaced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    ip_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_sessions", x => x.id);
                    table.CheckConstraint("ck_user_sessions_expiry", "expires_at > created_at");
                    table.CheckConstraint("ck_user_sessions_hash_length", "octet_length(refresh_token_hash) = 32");
                    table.ForeignKey(
                        name: "fk_user_sessions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cohort_batch_projects",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_no = table.Column<int>(type: "integer", nullable: false),
                    payload = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohort_batch_projects", x => x.id);
                    table.CheckConstraint("ck_cohort_batch_projects_batch_no", "batch_no > 0");
                    table.ForeignKey(
                        name: "fk_cohort_batch_projects_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cohort_members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    batch_no = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohort_members", x => x.id);
                    table.CheckConstraint("ck_cohort_members_batch_no", "batch_no > 0");
                    table.CheckConstraint("ck_cohort_members_email_normalized", "email = lower(btrim(email)) AND email <> ''");
                    table.ForeignKey(
                        name: "fk_cohort_members_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cohort_members_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "enrollments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<EnrollmentSource>(type: "enrollment_source", nullable: false),
                    status = table.Column<EnrollmentStatus>(type: "enrollment_status", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enrolled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrollments", x => x.id);
                    table.ForeignKey(
                        name: "fk_enrollments_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_enrollments_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_enrollments_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "quiz_options",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    question_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    is_correct = table.Column<bool>(type: "boolean", nullable: false),
                    display_order = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quiz_options", x => x.id);
                    table.ForeignKey(
                        name: "fk_quiz_options_quiz_questions_question_id",
                        column: x => x.question_id,
                        principalTable: "quiz_questions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cold_call_prompts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    display_order = table.Column<int>(type: "integer", nullable: false),
                    prompt = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cold_call_prompts", x => x.id);
                    table.ForeignKey(
                        name: "fk_cold_call_prompts_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "content_ingestions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    etag = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    status = table.Column<IngestionStatus>(type: "ingestion_status", nullable: false),
                    content_length = table.Column<long>(type: "bigint", nullable: true),
                    chunk_count = table.Column<int>(type: "integer", nullable: true),
                    embedding_model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    duration_ms = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_content_ingestions", x => x.id);
                    table.CheckConstraint("ck_content_ingestions_attempts", "attempts >= 0");
                    table.CheckConstraint("ck_content_ingestions_chunk_count", "chunk_count IS NULL OR chunk_count >= 0");
                    table.ForeignKey(
                        name: "fk_content_ingestions_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_content_ingestions_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "course_chunks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    metadata = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    embedding_model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    embedding = table.Column<Vector>(type: "vector(384)", nullable: false),
                    content_search = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                        .Annotation("Npgsql:TsVectorConfig", "english")
                        .Annotation("Npgsql:TsVectorProperties", new[] { "content" }),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_chunks", x => x.id);
                    table.CheckConstraint("ck_course_chunks_content", "btrim(content) <> ''");
                    table.CheckConstraint("ck_course_chunks_position", "position >= 0");
                    table.ForeignKey(
                        name: "fk_course_chunks_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_course_chunks_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "cp_rag_chat_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: true),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cp_rag_chat_sessions", x => x.id);
                    table.CheckConstraint("ck_cp_rag_chat_sessions_message_count", "message_count >= 0");
                    table.ForeignKey(
                        name: "fk_cp_rag_chat_sessions_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cp_rag_chat_sessions_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cp_rag_chat_sessions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "simulation_exercises",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    instructions = table.Column<string>(type: "text", nullable: true),
                    payload = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_simulation_exercises", x => x.id);
                    table.ForeignKey(
                        name: "fk_simulation_exercises_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "topic_content_assets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    persona_key = table.Column<LearnerPersona>(type: "tutor_persona", nullable: true),
                    content_type = table.Column<ContentType>(type: "content_type", nullable: false),
                    payload = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topic_content_assets", x => x.id);
                    table.CheckConstraint("ck_topic_content_assets_content_key", "content_key ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'");
                    table.ForeignKey(
                        name: "fk_topic_content_assets_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "topic_progress",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<ProgressStatus>(type: "progress_status", nullable: false),
                    progress = table.Column<double>(type: "double precision", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topic_progress", x => x.id);
                    table.CheckConstraint("ck_topic_progress_fraction", "progress >= 0 AND progress <= 1");
                    table.ForeignKey(
                        name: "fk_topic_progress_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_topic_progress_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "topic_prompt_suggestions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    topic_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    prompt = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    answer = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    display_order = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_topic_prompt_suggestions", x => x.id);
                    table.ForeignKey(
                        name: "fk_topic_prompt_suggestions_topic_prompt_suggestions_parent_id",
                        column: x => x.parent_id,
                        principalTable: "topic_prompt_suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_topic_prompt_suggestions_topics_topic_id",
                        column: x => x.topic_id,
                        principalTable: "topics",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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

            migrationBuilder.CreateTable(
                name: "course_tutors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tutor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_tutors", x => x.id);
                    table.ForeignKey(
                        name: "fk_course_tutors_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_course_tutors_tutors_tutor_id",
                        column: x => x.tutor_id,
                        principalTable: "tutors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cold_call_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prompt_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    root_id = table.Column<Guid>(type: "uuid", nullable: true),
                    content = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    edited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    hidden_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    hidden_by_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cold_call_messages", x => x.id);
                    table.CheckConstraint("ck_cold_call_messages_content", "btrim(content) <> ''");
                    table.CheckConstraint("ck_cold_call_messages_thread", "(parent_id IS NULL) = (root_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_cold_call_messages_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cold_call_messages_cold_call_messages_parent_id",
                        column: x => x.parent_id,
                        principalTable: "cold_call_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cold_call_messages_cold_call_messages_root_id",
                        column: x => x.root_id,
                        principalTable: "cold_call_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cold_call_messages_cold_call_prompts_prompt_id",
                        column: x => x.prompt_id,
                        principalTable: "cold_call_prompts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cold_call_messages_users_hidden_by_id",
                        column: x => x.hidden_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_cold_call_messages_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cp_rag_chat_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<ChatRole>(type: "chat_role", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    sources = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cp_rag_chat_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_cp_rag_chat_messages_rag_chat_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "cp_rag_chat_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cold_call_stars",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cold_call_stars", x => x.id);
                    table.ForeignKey(
                        name: "fk_cold_call_stars_cold_call_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "cold_call_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cold_call_stars_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_admin_audit_entries_actor_id",
                table: "admin_audit_entries",
                column: "actor_id");

            migrationBuilder.CreateIndex(
                name: "ix_admin_audit_entries_at",
                table: "admin_audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_admin_audit_entries_resource_id_at",
                table: "admin_audit_entries",
                columns: new[] { "resource_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_admin_audit_entries_resource_type_at",
                table: "admin_audit_entries",
                columns: new[] { "resource_type", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_auth_login_codes_code_hash",
                table: "auth_login_codes",
                column: "code_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_auth_login_codes_expires_at",
                table: "auth_login_codes",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_auth_login_codes_user_id",
                table: "auth_login_codes",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_auth_login_states_expires_at",
                table: "auth_login_states",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_auth_login_states_state_hash",
                table: "auth_login_states",
                column: "state_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cart_items_course_id",
                table: "cart_items",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_cart_items_user_id_course_id",
                table: "cart_items",
                columns: new[] { "user_id", "course_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cart_lines_course_id",
                table: "cart_lines",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_cart_lines_user_id_course_id",
                table: "cart_lines",
                columns: new[] { "user_id", "course_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cohort_batch_projects_cohort_id_batch_no",
                table: "cohort_batch_projects",
                columns: new[] { "cohort_id", "batch_no" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cohort_members_cohort_id_email",
                table: "cohort_members",
                columns: new[] { "cohort_id", "email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cohort_members_email",
                table: "cohort_members",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "ix_cohort_members_user_id",
                table: "cohort_members",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_cohorts_course_id_name",
                table: "cohorts",
                columns: new[] { "course_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_cohort_id",
                table: "cold_call_messages",
                column: "cohort_id");

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_hidden_by_id",
                table: "cold_call_messages",
                column: "hidden_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_parent_id",
                table: "cold_call_messages",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_prompt_id_cohort_id_created_at",
                table: "cold_call_messages",
                columns: new[] { "prompt_id", "cohort_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_root_id",
                table: "cold_call_messages",
                column: "root_id");

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_messages_user_id",
                table: "cold_call_messages",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ux_cold_call_messages_one_root_per_user_and_cohort",
                table: "cold_call_messages",
                columns: new[] { "prompt_id", "user_id", "cohort_id" },
                unique: true,
                filter: "parent_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_prompts_topic_id_display_order",
                table: "cold_call_prompts",
                columns: new[] { "topic_id", "display_order" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_stars_message_id_user_id",
                table: "cold_call_stars",
                columns: new[] { "message_id", "user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cold_call_stars_user_id",
                table: "cold_call_stars",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_content_ingestions_course_id_queued_at",
                table: "content_ingestions",
                columns: new[] { "course_id", "queued_at" });

            migrationBuilder.CreateIndex(
                name: "ix_content_ingestions_source_etag",
                table: "content_ingestions",
                columns: new[] { "source", "etag" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_content_ingestions_topic_id",
                table: "content_ingestions",
                column: "topic_id");

            migrationBuilder.CreateIndex(
                name: "ix_course_chunks_content_search",
                table: "course_chunks",
                column: "content_search")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_course_chunks_course_id_source_position",
                table: "course_chunks",
                columns: new[] { "course_id", "source", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_course_chunks_embedding",
                table: "course_chunks",
                column: "embedding")
                .Annotation("Npgsql:IndexMethod", "hnsw")
                .Annotation("Npgsql:IndexOperators", new[] { "vector_cosine_ops" })
                .Annotation("Npgsql:StorageParameter:ef_construction", 64)
                .Annotation("Npgsql:StorageParameter:m", 16);

            migrationBuilder.CreateIndex(
                name: "ix_course_chunks_topic_id",
                table: "course_chunks",
                column: "topic_id");

            migrationBuilder.CreateIndex(
                name: "ix_course_tutors_course_id_tutor_id",
                table: "course_tutors",
                columns: new[] { "course_id", "tutor_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_course_tutors_tutor_id",
                table: "course_tutors",
                column: "tutor_id");

            migrationBuilder.CreateIndex(
                name: "ix_courses_name",
                table: "courses",
                column: "name",
                filter: "is_published");

            migrationBuilder.CreateIndex(
                name: "ix_courses_slug",
                table: "courses",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cp_rag_chat_messages_session_id_created_at",
                table: "cp_rag_chat_messages",
                columns: new[] { "session_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cp_rag_chat_sessions_course_id",
                table: "cp_rag_chat_sessions",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_cp_rag_chat_sessions_topic_id",
                table: "cp_rag_chat_sessions",
                column: "topic_id");

            migrationBuilder.CreateIndex(
                name: "ix_cp_rag_chat_sessions_user_id_course_id_topic_id",
                table: "cp_rag_chat_sessions",
                columns: new[] { "user_id", "course_id", "topic_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_cohort_id",
                table: "enrollments",
                column: "cohort_id");

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_course_id",
                table: "enrollments",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_enrollments_user_id_course_id",
                table: "enrollments",
                columns: new[] { "user_id", "course_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_learner_persona_profiles_course_id",
                table: "learner_persona_profiles",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_learner_persona_profiles_user_id_course_id",
                table: "learner_persona_profiles",
                columns: new[] { "user_id", "course_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_module_progress_course_id",
                table: "module_progress",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_module_progress_user_id_course_id_module_no",
                table: "module_progress",
                columns: new[] { "user_id", "course_id", "module_no" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_module_prompt_usage_course_id",
                table: "module_prompt_usage",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_module_prompt_usage_user_id_course_id_module_no",
                table: "module_prompt_usage",
                columns: new[] { "user_id", "course_id", "module_no" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_module_prompt_usage_window_ends_at",
                table: "module_prompt_usage",
                column: "window_ends_at",
                filter: "used_count > 0");

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

            migrationBuilder.CreateIndex(
                name: "ix_page_content_slug",
                table: "page_content",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_password_setup_tokens_token_hash",
                table: "password_setup_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_password_setup_tokens_user_id",
                table: "password_setup_tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_quiz_attempts_course_id",
                table: "quiz_attempts",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_quiz_attempts_user_id_course_id_module_no_topic_pair_index",
                table: "quiz_attempts",
                columns: new[] { "user_id", "course_id", "module_no", "topic_pair_index" });

            migrationBuilder.CreateIndex(
                name: "ux_quiz_attempts_one_open_per_section",
                table: "quiz_attempts",
                columns: new[] { "user_id", "course_id", "module_no", "topic_pair_index" },
                unique: true,
                filter: "submitted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_quiz_options_question_id_display_order",
                table: "quiz_options",
                columns: new[] { "question_id", "display_order" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_quiz_questions_course_id_module_no_topic_pair_index",
                table: "quiz_questions",
                columns: new[] { "course_id", "module_no", "topic_pair_index" });

            migrationBuilder.CreateIndex(
                name: "ix_rate_limit_counters_key_window_start",
                table: "rate_limit_counters",
                columns: new[] { "key", "window_start" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_rate_limit_counters_window_end",
                table: "rate_limit_counters",
                column: "window_end");

            migrationBuilder.CreateIndex(
                name: "ix_simulation_exercises_topic_id",
                table: "simulation_exercises",
                column: "topic_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_topic_content_assets_topic_id_content_key_persona_key",
                table: "topic_content_assets",
                columns: new[] { "topic_id", "content_key", "persona_key" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_topic_personalization_course_id",
                table: "topic_personalization",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_topic_personalization_user_id_course_id",
                table: "topic_personalization",
                columns: new[] { "user_id", "course_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_topic_progress_topic_id",
                table: "topic_progress",
                column: "topic_id");

            migrationBuilder.CreateIndex(
                name: "ix_topic_progress_user_id_topic_id",
                table: "topic_progress",
                columns: new[] { "user_id", "topic_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_topic_prompt_suggestions_parent_id",
                table: "topic_prompt_suggestions",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_topic_prompt_suggestions_topic_id_parent_id_display_order",
                table: "topic_prompt_suggestions",
                columns: new[] { "topic_id", "parent_id", "display_order" });

            migrationBuilder.CreateIndex(
                name: "ix_topics_course_id_module_no_topic_number",
                table: "topics",
                columns: new[] { "course_id", "module_no", "topic_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tutor_applications_applicant_user_id",
                table: "tutor_applications",
                column: "applicant_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_tutor_applications_reviewed_by_id",
                table: "tutor_applications",
                column: "reviewed_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_tutor_applications_status_created_at",
                table: "tutor_applications",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_tutor_applications_user_id",
                table: "tutor_applications",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ux_tutor_applications_pending_email",
                table: "tutor_applications",
                column: "email",
                unique: true,
                filter: "status = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_tutors_user_id",
                table: "tutors",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_expires_at",
                table: "user_sessions",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_family_id",
                table: "user_sessions",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_refresh_token_hash",
                table: "user_sessions",
                column: "refresh_token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_revoked_at",
                table: "user_sessions",
                column: "revoked_at",
                filter: "revoked_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_user_id",
                table: "user_sessions",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_users_auth_provider_provider_subject",
                table: "users",
                columns: new[] { "auth_provider", "provider_subject" },
                unique: true,
                filter: "auth_provider IS NOT NULL AND provider_subject IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_users_email",
                table: "users",
                column: "email",
                unique: true);

            // The app needs pgvector >= 0.8 (hnsw.iterative_scan): stop the deployment here rather than fail every search.
            migrationBuilder.Sql(PgvectorRequirement.CheckSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admin_audit_entries");

            migrationBuilder.DropTable(
                name: "auth_login_codes");

            migrationBuilder.DropTable(
                name: "auth_login_states");

            migrationBuilder.DropTable(
                name: "cart_items");

            migrationBuilder.DropTable(
                name: "cart_lines");

            migrationBuilder.DropTable(
                name: "cohort_batch_projects");

            migrationBuilder.DropTable(
                name: "cohort_members");

            migrationBuilder.DropTable(
                name: "cold_call_stars");

            migrationBuilder.DropTable(
                name: "content_ingestions");

            migrationBuilder.DropTable(
                name: "course_chunks");

            migrationBuilder.DropTable(
                name: "course_tutors");

            migrationBuilder.DropTable(
                name: "cp_rag_chat_messages");

            migrationBuilder.DropTable(
                name: "enrollments");

            migrationBuilder.DropTable(
                name: "learner_persona_profiles");

            migrationBuilder.DropTable(
                name: "module_progress");

            migrationBuilder.DropTable(
                name: "module_prompt_usage");

            migrationBuilder.DropTable(
                name: "order_events");

            migrationBuilder.DropTable(
                name: "order_lines");

            migrationBuilder.DropTable(
                name: "page_content");

            migrationBuilder.DropTable(
                name: "password_setup_tokens");

            migrationBuilder.DropTable(
                name: "processed_payment_events");

            migrationBuilder.DropTable(
                name: "quiz_attempts");

            migrationBuilder.DropTable(
                name: "quiz_options");

            migrationBuilder.DropTable(
                name: "rate_limit_counters");

            migrationBuilder.DropTable(
                name: "simulation_exercises");

            migrationBuilder.DropTable(
                name: "topic_content_assets");

            migrationBuilder.DropTable(
                name: "topic_personalization");

            migrationBuilder.DropTable(
                name: "topic_progress");

            migrationBuilder.DropTable(
                name: "topic_prompt_suggestions");

            migrationBuilder.DropTable(
                name: "tutor_applications");

            migrationBuilder.DropTable(
                name: "user_sessions");

            migrationBuilder.DropTable(
                name: "cold_call_messages");

            migrationBuilder.DropTable(
                name: "tutors");

            migrationBuilder.DropTable(
                name: "cp_rag_chat_sessions");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropTable(
                name: "quiz_questions");

            migrationBuilder.DropTable(
                name: "cohorts");

            migrationBuilder.DropTable(
                name: "cold_call_prompts");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "topics");

            migrationBuilder.DropTable(
                name: "courses");
        }
    }
}
