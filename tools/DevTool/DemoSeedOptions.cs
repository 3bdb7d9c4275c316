namespace CoursePlatform.DevTool;

/// <summary>Staff accounts of the demo seed; the passwords come from settings and are only ever stored hashed.</summary>
public sealed class DemoSeedOptions
{
    public string AdminEmail { get; init; } = "admin@example.com";
    public string? AdminPassword { get; init; }
    public string TutorEmail { get; init; } = "tutor@example.com";
    public string? TutorPassword { get; init; }

    /// <summary>Throws <see cref="DevToolException"/> with a message naming the missing or bad setting.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(AdminEmail) || !AdminEmail.Contains('@', StringComparison.Ordinal))
            problems.Add("DemoSeed__AdminEmail must be an email address");
        if (string.IsNullOrWhiteSpace(TutorEmail) || !TutorEmail.Contains('@', StringComparison.Ordinal))
            problems.Add("DemoSeed__TutorEmail must be an email address");
        if (string.IsNullOrWhiteSpace(AdminPassword))
            problems.Add("DemoSeed__AdminPassword is not set");
        if (string.IsNullOrWhiteSpace(TutorPassword))
            problems.Add("DemoSeed__TutorPassword is not set");
        if (problems.Count == 0 && string.Equals(AdminEmail.Trim(), TutorEmail.Trim(), StringComparison.OrdinalIgnoreCase))
            problems.Add("DemoSeed__AdminEmail and DemoSeed__TutorEmail must differ");
        if (problems.Count > 0)
            throw new DevToolException("Cannot seed: " + string.Join("; ", problems) + " (local.settings.json Values or environment).");
    }
}

/// <summary>What the seed describes (rows per kind) and what one run changed.</summary>
public sealed record DemoSeedResult
{
    public int Courses { get; init; }
    public int Topics { get; init; }
    public int ContentAssets { get; init; }
    public int SimulationExercises { get; init; }
    public int QuizQuestions { get; init; }
    public int QuizOptions { get; init; }
    public int PromptSuggestions { get; init; }
    public int ColdCallPrompts { get; init; }
    public int Cohorts { get; init; }
    public int CohortMembers { get; init; }
    public int BatchProjects { get; init; }
    public int Users { get; init; }
    public int Enrollments { get; init; }
    public int PersonaProfiles { get; init; }
    public int Pages { get; init; }
    /// <summary>Rows inserted by this run (0 when the seed was already applied).</summary>
    public int Created { get; init; }
    /// <summary>Existing rows whose values this run changed (0 when nothing changed).</summary>
    public int Updated { get; init; }

    public override string ToString() =>
        $"{Courses} courses, {Topics} topics, {ContentAssets} content assets, {SimulationExercises} simulations, "
        + $"{QuizQuestions} quiz questions ({QuizOptions} options), {PromptSuggestions} prompt suggestions, "
        + $"{ColdCallPrompts} cold-call prompts, {Cohorts} cohort ({CohortMembers} members, {BatchProjects} batch projects), "
        + $"{Users} users, {Enrollments} enrollments, {PersonaProfiles} persona profiles, {Pages} pages; "
        + $"{Created} rows created, {Updated} updated.";
}
