namespace CoursePlatform.Data;

// Every enum here is a PostgreSQL enum whose labels are the snake_case member names
// (NonItMigrant -> non_it_migrant), registered once in CoursePlatformDb.

public enum UserRole { Learner, Tutor, Admin }

public enum EnrollmentMode { Open, Cohort }

public enum ContentType { Text, Image, Video, Ppt }

/// <summary>How the AI tutor adapts its answers; also the persona key of content assets.</summary>
public enum LearnerPersona { NonItMigrant, RoteMemorizer, EnglishHesitant, LastMinutePanic, PseudoCoder }

/// <summary>The narrator of lesson text (study persona).</summary>
public enum StudyPersona { Normal, Sports, Cooking, Adventure }

public enum ChatRole { User, Assistant, System }

public enum ProgressStatus { NotStarted, InProgress, Completed }

public enum EnrollmentSource { Cohort, Checkout, Admin, Free }

public enum EnrollmentStatus { Active, PendingPayment }

public enum TutorApplicationStatus { Pending, Approved, Rejected }

public enum IngestionStatus { Queued, Running, Succeeded, Failed }

/// <summary>An order: <c>pending</c> until the provider settles it as paid, or it is cancelled (payment failed), expired or refunded.</summary>
public enum OrderStatus { Pending, Paid, Cancelled, Expired, Refunded }
