namespace CoursePlatform.Benchmarks;

/// <summary>A question the course answers, labelled with the topic whose lesson holds the answer.</summary>
/// <param name="Text">The learner's question, phrased differently from the lesson.</param>
/// <param name="Topic">The name of the demo topic (<c>DemoContent.CloudFoundations</c>) whose lesson chunks answer it.</param>
/// <param name="ExactTerm">The question carries an exact technical term of the lesson (a port, a CLI command, a service name).</param>
public sealed record EvaluationQuestion(string Text, string Topic, bool ExactTerm = false);

/// <summary>
/// Issue 13's evaluation set over the demo lessons of <c>cloud-foundations</c> (tools/DevTool/DemoContent.cs, as the
/// tutor indexes them: the summary, the everyday analogy, the hands-on snippet and the key points of each topic).
/// Most questions are paraphrases that avoid the lesson's own words; the <see cref="EvaluationQuestion.ExactTerm"/>
/// ones name a term that appears verbatim in the lesson (its hands-on snippet, mostly), the case full-text search is
/// for. The off-topic questions are answered by nothing in the course, neither the lessons nor the benchmark's
/// networking reference text; half of them share everyday words with the lessons' analogies (pizza, a car's oil,
/// a phone contract, a rented flat, electricity, a city's neighbourhoods) to test the relevance floors.
/// </summary>
public static class AiTutorEvaluationSet
{
    // The demo topics' names, as the seed stores them (the benchmark checks each against the seeded course).
    public const string CloudComputing = "What is cloud computing?";
    public const string ServiceModels = "Service models: IaaS, PaaS and SaaS";
    public const string DeploymentModels = "Deployment models: public, private and hybrid";
    public const string Regions = "Regions and availability zones";
    public const string Compute = "Compute: virtual machines, containers and serverless";
    public const string Storage = "Storage: object, block and file";
    public const string Networking = "Networking: virtual networks, subnets and load balancers";
    public const string Databases = "Managed databases";
    public const string Identity = "Identity and access management";
    public const string Pricing = "Pricing and cost management";
    public const string Monitoring = "Monitoring and logging";
    public const string SharedResponsibility = "Shared responsibility and security basics";

    public static IReadOnlyList<EvaluationQuestion> OnTopic { get; } =
    [
        new("Why would a business lease processing power and disk space from a vendor over the web instead of purchasing its own machines?", CloudComputing),
        new("How does paying by consumption turn big up-front hardware purchases into a running monthly cost?", CloudComputing),
        new("What happens when I run az vm delete on the web01 machine?", CloudComputing, ExactTerm: true),

        new("Our developers only want to push their application and let the vendor handle OS updates and scaling; which kind of offering suits them?", ServiceModels),
        new("With which kind of offering do I still look after the guest operating system while renting virtual hardware?", ServiceModels),
        new("What does az webapp up do in the example?", ServiceModels, ExactTerm: true),

        new("What do you call keeping sensitive systems in your own building while overflowing into a big provider at busy times?", DeploymentModels),
        new("What is it called when an organisation relies on more than one of the big providers at once?", DeploymentModels),
        new("Why create a vnet-gateway of type Vpn between headquarters and the cloud?", DeploymentModels, ExactTerm: true),

        new("How can my application survive if one of the provider's buildings loses power?", Regions),
        new("What should drive the choice of geographic location for my deployment?", Regions),
        new("How do I place three VMs in separate zones of westeurope?", Regions, ExactTerm: true),

        new("Which way of running code costs nothing while idle and bills each time it is triggered?", Compute),
        new("What is the advantage of shipping an app bundled with its libraries so it launches in seconds?", Compute),
        new("What does Kubernetes do for containers?", Compute, ExactTerm: true),
        new("What does docker run -p 8080:8080 start?", Compute, ExactTerm: true),

        new("Where should I keep millions of user photos so that each one is reachable at its own web address?", Storage),
        new("Several servers need to mount the same shared folder; which kind of storage do they need?", Storage),
        new("Why is it cheap to keep old backups in a colder tier but expensive to get them back?", Storage),
        new("What does az storage blob set-tier do?", Storage, ExactTerm: true),

        new("How do requests get spread over several web servers while the unhealthy ones are skipped?", Networking),
        new("Why divide my private address space into separate segments for the web and the database tiers?", Networking),
        new("What does the nsg rule with destination port 443 allow?", Networking, ExactTerm: true),

        new("If I rent a hosted PostgreSQL server, who takes care of patches, backups and failover?", Databases),
        new("Should flexible JSON documents at enormous scale go into a relational or a document store?", Databases),
        new("Can I rewind my data to the state it was in just before someone deleted a table by mistake?", Databases),
        new("What is Cosmos DB used for?", Databases, ExactTerm: true),

        new("What is the difference between proving who you are and being allowed to do something?", Identity),
        new("How should an app reach other resources without keeping a secret in its configuration?", Identity),
        new("Why should every account only get the rights its job requires?", Identity),
        new("What does az role assignment create with the Reader role grant?", Identity, ExactTerm: true),

        new("Which heavily discounted capacity can the provider take back, suiting jobs that can restart?", Pricing),
        new("How do I see which team or project is responsible for each part of the bill?", Pricing),
        new("Is it worth committing to several years of constant usage to get a lower rate?", Pricing),
        new("What does az vm auto-shutdown do?", Pricing, ExactTerm: true),

        new("How can I follow a single request as it hops between several services?", Monitoring),
        new("When should the person on call be woken up by a notification?", Monitoring),
        new("What is the difference between numbers tracked over time and records of individual events?", Monitoring),
        new("Show me a KQL query that counts failed requests", Monitoring, ExactTerm: true),

        new("Who guards the buildings and servers, and what remains my job when I use a provider?", SharedResponsibility),
        new("What is the most common reason for data leaks in the cloud?", SharedResponsibility),
        new("Should information be protected with encryption both while it is kept and while it moves over the network?", SharedResponsibility),
        new("How do I enforce --min-tls-version on a storage account?", SharedResponsibility, ExactTerm: true),
    ];

    /// <summary>Questions nothing in the course answers; the tutor should stay silent on every one.</summary>
    public static IReadOnlyList<string> OffTopic { get; } =
    [
        "Who won the football world cup in 1998?",
        "What is the capital of Australia?",
        "In which year did the Berlin Wall fall?",
        "How many bones are in the adult human body?",
        "What is the best way to train for a marathon?",
        "Who painted the Mona Lisa?",
        // Everyday words the lessons' analogies use.
        "What toppings go on a classic Neapolitan pizza?",
        "How do I change the oil in my car's engine?",
        "Which mobile phone contract gives the most minutes for the money?",
        "What should I check before signing the lease on a rented flat?",
        "How can I lower the electricity bill of my house in winter?",
        "Which neighbourhoods of Lisbon are nicest for a city break?",
    ];
}
