using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoursePlatform.Data.Migrations
{
    /// <summary>
    /// Issue 26, the knowledge store's physical layout, each measured (docs/operations.md, the load section):
    /// <list type="bullet">
    /// <item>A chunk's 1.5 kB vector is kept in the row (storage PLAIN) instead of pgvector's default EXTERNAL, which moved
    /// it to the TOAST table whenever a row passed 2 kB, so an exact per-course search read each distance through the TOAST
    /// index (about six buffers per row): 12-16 ms -> 2.4-3.2 ms for a course of 2,000 chunks. Rows written before keep
    /// theirs in the TOAST table until <c>VACUUM FULL course_chunks</c> (Ingestion README).</item>
    /// <item>(course_id, embedding_model) is indexed: with rows four times wider, counting a course's chunks and finding the
    /// models they hold read the rows (2.3 ms for those 2,000); from the index alone, 0.6 ms.</item>
    /// <item>The full-text GIN index stops deferring its inserts (fastupdate off): every lookup scanned the whole pending
    /// list until a vacuum merged it, and the tutor looks up each word of each question (1,381 buffers for 11 words on a
    /// freshly ingested course of 1,245 chunks; 85-169 merged).</item>
    /// </list>
    /// </summary>
    public partial class InlineEmbeddingStorage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE course_chunks ALTER COLUMN embedding SET STORAGE PLAIN;");

            // Altered, not rebuilt; what is pending now is merged at once.
            migrationBuilder.Sql("ALTER INDEX ix_course_chunks_content_search SET (fastupdate = off);");
            migrationBuilder.Sql("SELECT gin_clean_pending_list('ix_course_chunks_content_search');");

            migrationBuilder.CreateIndex(
                name: "ix_course_chunks_course_id_embedding_model",
                table: "course_chunks",
                columns: new[] { "course_id", "embedding_model" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_course_chunks_course_id_embedding_model",
                table: "course_chunks");

            migrationBuilder.Sql("ALTER INDEX ix_course_chunks_content_search RESET (fastupdate);");

            migrationBuilder.Sql("ALTER TABLE course_chunks ALTER COLUMN embedding SET STORAGE EXTERNAL;");
        }
    }
}
