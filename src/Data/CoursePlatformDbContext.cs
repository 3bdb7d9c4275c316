using CoursePlatform.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Data;

public class CoursePlatformDbContext(DbContextOptions<CoursePlatformDbContext> options) : DbContext(options)
{
    // Accounts and sessions
    public DbSet<User> Users => Set<User>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<Tutor> Tutors => Set<Tutor>();
    public DbSet<TutorApplication> TutorApplications => Set<TutorApplication>();
    public DbSet<PasswordSetupToken> PasswordSetupTokens => Set<PasswordSetupToken>();
    public DbSet<AdminAuditEntry> AdminAuditEntries => Set<AdminAuditEntry>();
    public DbSet<CourseTutor> CourseTutors => Set<CourseTutor>();
    public DbSet<AuthLoginState> AuthLoginStates => Set<AuthLoginState>();
    public DbSet<AuthLoginCode> AuthLoginCodes => Set<AuthLoginCode>();
    public DbSet<RateLimitCounter> RateLimitCounters => Set<RateLimitCounter>();
    // Course catalog and content assets
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<SimulationExercise> SimulationExercises => Set<SimulationExercise>();
    public DbSet<PageContent> PageContent => Set<PageContent>();
    public DbSet<TopicContentAsset> TopicContentAssets => Set<TopicContentAsset>();
    // Cohort access and interaction
    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<CohortMember> CohortMembers => Set<CohortMember>();
    public DbSet<CohortBatchProject> CohortBatchProjects => Set<CohortBatchProject>();
    public DbSet<ColdCallPrompt> ColdCallPrompts => Set<ColdCallPrompt>();
    public DbSet<ColdCallMessage> ColdCallMessages => Set<ColdCallMessage>();
    public DbSet<ColdCallStar> ColdCallStars => Set<ColdCallStar>();
    // Knowledge store and tutor memory
    public DbSet<CourseChunk> CourseChunks => Set<CourseChunk>();
    public DbSet<ContentIngestion> ContentIngestions => Set<ContentIngestion>();
    public DbSet<RagChatSession> RagChatSessions => Set<RagChatSession>();
    public DbSet<RagChatMessage> RagChatMessages => Set<RagChatMessage>();
    // Personalization
    public DbSet<TopicPersonalization> TopicPersonalizations => Set<TopicPersonalization>();
    public DbSet<LearnerPersonaProfile> LearnerPersonaProfiles => Set<LearnerPersonaProfile>();
    public DbSet<TopicPromptSuggestion> TopicPromptSuggestions => Set<TopicPromptSuggestion>();
    public DbSet<ModulePromptUsage> ModulePromptUsages => Set<ModulePromptUsage>();
    // Progress and assessments
    public DbSet<TopicProgress> TopicProgress => Set<TopicProgress>();
    public DbSet<QuizQuestion> QuizQuestions => Set<QuizQuestion>();
    public DbSet<QuizOption> QuizOptions => Set<QuizOption>();
    public DbSet<QuizAttempt> QuizAttempts => Set<QuizAttempt>();
    public DbSet<ModuleProgress> ModuleProgress => Set<ModuleProgress>();
    // Commerce and enrollment
    public DbSet<Enrollment> Enrollments => Set<Enrollment>();
    public DbSet<CartLine> CartLines => Set<CartLine>();
    public DbSet<CartItem> CartItems => Set<CartItem>();
    // Payments
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<OrderEvent> OrderEvents => Set<OrderEvent>();
    public DbSet<ProcessedPaymentEvent> ProcessedPaymentEvents => Set<ProcessedPaymentEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("vector");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CoursePlatformDbContext).Assembly);
    }
}
