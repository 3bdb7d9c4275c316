using CoursePlatform.Data;

namespace CoursePlatform.DevTool;

// The demo catalog as data: DemoSeed turns each topic into a layout, content assets (default and per
// tutor persona), quiz questions, prompt suggestions and cold-call prompts. Video ids and image/deck
// URLs are demo placeholders.

public sealed record CourseSpec(
    string Slug, string Name, string Description, decimal Price, EnrollmentMode Mode, IReadOnlyList<ModuleSpec> Modules);

public sealed record ModuleSpec(string Title, IReadOnlyList<TopicSpec> Topics);

public sealed record TopicSpec(string Name, string Summary, string[] KeyPoints, QuizSpec[] Quiz)
{
    /// <summary>Everyday analogy: the non_it_migrant version of the lesson.</summary>
    public string? Analogy { get; init; }
    /// <summary>Hands-on snippet: the pseudo_coder version of the lesson.</summary>
    public string? Code { get; init; }
    public string CodeLanguage { get; init; } = "bash";
    public string? VideoUrl { get; init; }
    public bool Preview { get; init; }
    public StudyVariants? Variants { get; init; }
    public string[] ColdCalls { get; init; } = [];
    public SimulationSpec? Simulation { get; init; }
}

/// <summary>Study-persona narrations (the "normal" one is the summary).</summary>
public sealed record StudyVariants(string Sports, string Cooking, string Adventure);

public sealed record QuizSpec(string Question, string Correct, string[] Wrong, string Explanation);

public sealed record SimulationSpec(string Title, string Instructions, object Payload);

public sealed record PageSpec(string Slug, string Title, string Markdown);

public static class DemoContent
{
    private static QuizSpec Q(string question, string correct, string explanation, params string[] wrong) =>
        new(question, correct, wrong, explanation);

    public static CourseSpec CloudFoundations { get; } = new(
        Slug: "cloud-foundations",
        Name: "Cloud Foundations",
        Description: "A cohort course on cloud computing basics for career changers and curious builders: "
            + "what the cloud is, the core services (compute, storage, networking, databases), and how to run "
            + "workloads securely and affordably. Three modules, twelve short lessons, a quiz after every two "
            + "lessons and a batch project.",
        Price: 149.00m,
        Mode: EnrollmentMode.Cohort,
        Modules:
        [
            new("Cloud basics",
            [
                new("What is cloud computing?",
                    "Cloud computing means renting computing resources (servers, storage, databases, networking) from a provider over the internet and paying only for what you use, instead of buying and running your own hardware.",
                    ["On-demand self-service: create resources in minutes through a portal or an API.",
                     "Pay-as-you-go: costs follow usage, turning capital expense into operating expense.",
                     "Elasticity: capacity grows and shrinks with demand.",
                     "Broad network access: services are reached over the internet from anywhere."],
                    [Q("Which statement best describes cloud computing?", "Renting computing resources over the internet and paying for what you use",
                        "The cloud is a utility: the provider runs the data centres, customers rent capacity on demand.",
                        "Buying servers and installing them in your own office", "Storing files only on a USB drive", "A kind of weather-forecasting software"),
                     Q("What does elasticity mean in the cloud?", "Capacity grows and shrinks automatically with demand",
                        "Elastic resources scale out when traffic rises and back in when it falls, so you pay for what you need.",
                        "Servers are made of flexible materials", "Prices change every hour", "Data is copied to every country"),
                     Q("How does pay-as-you-go change IT spending?", "Large up-front capital expense becomes ongoing operating expense",
                        "Instead of buying hardware years ahead, you pay monthly for what you actually used.",
                        "It removes all costs", "It requires paying five years in advance", "It only charges for electricity")])
                {
                    Preview = true,
                    VideoUrl = "https://www.youtube.com/watch?v=cfdemo00001",
                    Analogy = "Think of electricity. You don't build a power plant at home: you plug in and pay the meter. Cloud computing is the same idea for computers. The provider runs the data centre; you plug in and pay for what you use.",
                    Code = "# Create a virtual machine with one command (Azure CLI)\naz vm create --resource-group demo-rg --name web01 --image Ubuntu2204 --size Standard_B1s\n# ...and delete it when you are done, so the meter stops\naz vm delete --resource-group demo-rg --name web01 --yes",
                    Variants = new(
                        "Think of cloud computing like joining a sports club instead of building your own stadium: the club owns the pitch, the floodlights and the changing rooms, and your membership matches how often you play.",
                        "Cloud computing is like cooking in a rented commercial kitchen: ovens, fridges and cleaning are provided, you bring the recipe and pay for the hours you use.",
                        "Cloud computing is like an expedition that rents gear at base camp instead of carrying everything from home: you pick up tents and ropes when you need them and hand them back when the trek is done."),
                    ColdCalls =
                    [
                        "Explain cloud computing in two sentences to a friend who has never worked in IT.",
                        "Name one service you use every day that runs in the cloud. What would change if it ran on a single computer at home?",
                    ],
                },
                new("Service models: IaaS, PaaS and SaaS",
                    "Cloud services come in three main models. With IaaS you rent raw infrastructure (virtual machines, disks, networks) and manage the operating system yourself. With PaaS the provider also runs the platform, so you only deploy your code and data. With SaaS you simply use finished software in the browser.",
                    ["IaaS: most control and most responsibility (for example virtual machines).",
                     "PaaS: you bring the code; the provider patches and scales the platform (App Service, managed databases).",
                     "SaaS: ready-to-use applications (web email, office suites, CRM).",
                     "Moving from IaaS towards SaaS trades control for convenience."],
                    [Q("A team wants to deploy its code without patching operating systems. Which model fits best?", "PaaS",
                        "PaaS runs and patches the platform; the team only deploys its application.",
                        "IaaS", "On-premises servers", "A USB drive"),
                     Q("Which of these is an example of SaaS?", "A web-based email service",
                        "SaaS is finished software used over the internet; you manage nothing but your data and users.",
                        "A virtual machine you configure yourself", "A physical server in your office", "A compiler you install locally"),
                     Q("In which model does the customer manage the operating system?", "IaaS",
                        "With IaaS the provider stops at the virtual machine; the OS and everything above it are yours.",
                        "SaaS", "PaaS", "None of them")])
                {
                    VideoUrl = "https://youtu.be/cfdemo00002",
                    Analogy = "Pizza as a service: IaaS is renting a kitchen and buying ingredients, then cooking yourself. PaaS is take-and-bake: the dough is ready, you add toppings and bake. SaaS is a delivered pizza: you just eat.",
                    Code = "# IaaS: you manage the operating system\nssh azureuser@web01 'sudo apt upgrade -y && sudo systemctl restart nginx'\n\n# PaaS: you only push code\naz webapp up --name my-shop --runtime \"NODE:20-lts\"\n\n# SaaS: you only call the finished product\ncurl https://graph.microsoft.com/v1.0/me/messages -H \"Authorization: Bearer $TOKEN\"",
                    Variants = new(
                        "IaaS is renting an empty pitch and bringing your own team, kit and referee; PaaS is a league that provides the pitch, referee and fixtures so you just play; SaaS is buying a ticket and watching the match.",
                        "IaaS is renting a bare kitchen; PaaS is a meal kit with the ingredients already prepared; SaaS is dinner at a restaurant.",
                        "IaaS is renting a boat and sailing it yourself; PaaS is a skippered charter where you pick the destination; SaaS is a cruise where everything is arranged."),
                    ColdCalls =
                    [
                        "Pick an app you use at work or at home. Is it IaaS, PaaS or SaaS, and how can you tell?",
                        "Why might a small bakery choose SaaS while a software start-up chooses PaaS?",
                    ],
                    Simulation = new("Sort the services",
                        "Drag each service into the service model it belongs to, then check your answers.",
                        new
                        {
                            kind = "sort",
                            buckets = new[] { "IaaS", "PaaS", "SaaS" },
                            items = new[]
                            {
                                new { label = "A Linux virtual machine", answer = "IaaS" },
                                new { label = "A managed PostgreSQL database", answer = "PaaS" },
                                new { label = "Web-based email", answer = "SaaS" },
                                new { label = "A web app platform you push code to", answer = "PaaS" },
                                new { label = "A virtual network and disks", answer = "IaaS" },
                                new { label = "An online CRM", answer = "SaaS" },
                            },
                        }),
                },
                new("Deployment models: public, private and hybrid",
                    "A public cloud is shared infrastructure run by a provider such as Azure, AWS or Google Cloud. A private cloud is cloud-style infrastructure used by one organisation, often in its own data centre. A hybrid cloud connects both so workloads and data can move between them; multi-cloud means using more than one public provider.",
                    ["Public cloud: no hardware to buy, huge scale, shared by many customers.",
                     "Private cloud: more control and isolation, but you pay for and run the hardware.",
                     "Hybrid cloud: keep sensitive systems on-premises and burst to the public cloud.",
                     "Regulation, latency and existing investments usually decide the mix."],
                    [Q("A hospital keeps patient records on-premises but runs its website in Azure. What is this?", "A hybrid cloud",
                        "Hybrid means on-premises (or private) infrastructure connected to a public cloud.",
                        "A public cloud only", "A private cloud only", "SaaS"),
                     Q("What is the main trade-off of a private cloud?", "More control and isolation, but you buy and operate the hardware",
                        "Private clouds give isolation at the price of owning capacity and operations.",
                        "It is always cheaper than public cloud", "It cannot run virtual machines", "It is shared with other companies"),
                     Q("Using both AWS and Azure for different workloads is called...", "Multi-cloud",
                        "Multi-cloud is the use of several public cloud providers.",
                        "Private cloud", "Edge computing", "Serverless")])
                {
                    Analogy = "A public cloud is like a hotel: rooms are ready and you pay per night. A private cloud is owning your own house. Hybrid is owning a house but booking hotel rooms when relatives come to stay.",
                    Code = "# Hybrid in practice: an on-premises app reaches a cloud database through a private VPN tunnel\naz network vnet-gateway create --name hq-to-cloud --resource-group demo-rg --vnet demo-vnet --gateway-type Vpn\n# on-premises application configuration\nDB_HOST=orders-db.privatelink.postgres.database.azure.com",
                    Variants = new(
                        "A public cloud is the city sports centre everyone books; a private cloud is your club's own ground; hybrid is training at your ground and booking the big stadium for the final.",
                        "A public cloud is a shared community kitchen, a private cloud is your restaurant's own kitchen, and hybrid is cooking at home but hiring a caterer's kitchen for the big wedding.",
                        "A public cloud is a busy mountain hut open to every climber, a private cloud is your own cabin, and hybrid is sleeping at your cabin and using the huts on the long traverse."),
                    ColdCalls =
                    [
                        "If you ran IT for a bank, which workloads would you keep in a private cloud, and why?",
                        "Describe one risk of putting everything with a single public cloud provider.",
                    ],
                },
                new("Regions and availability zones",
                    "Cloud providers run data centres all over the world. A region is a geographic area (such as West Europe or East US) containing several data centres. Availability zones are physically separate locations inside a region with independent power, cooling and networking, so spreading an application across zones keeps it running when one data centre fails.",
                    ["Choose a region close to your users for low latency.",
                     "Data residency rules can require data to stay in a given country or region.",
                     "Deploy across at least two availability zones for high availability.",
                     "Use a second region for disaster recovery."],
                    [Q("What is an availability zone?", "A physically separate data-centre location within a region",
                        "Zones have independent power, cooling and networking, so one failing does not take down the others.",
                        "A country where the cloud is free", "A time zone used for billing", "A backup copy of a virtual machine"),
                     Q("Why deploy across several availability zones?", "So the application keeps running if one data centre fails",
                        "Zone redundancy protects against the loss of a single site.",
                        "To reduce the monthly bill to zero", "Because each zone offers a different programming language", "To make the app load more slowly"),
                     Q("Which factors matter most when choosing a region?", "Distance to users and data-residency requirements",
                        "Latency and regulation usually decide; price and service availability come next.",
                        "The colour of the provider's logo", "The length of the region's name", "Which region opened first")])
                {
                    VideoUrl = "https://www.youtube.com/watch?v=cfdemo00004",
                    Analogy = "A region is a city; availability zones are separate neighbourhoods in that city, each with its own power station. If one neighbourhood has a blackout, the shops in the others stay open.",
                    Code = "# Spread three VMs across zones 1, 2 and 3 of one region\nfor zone in 1 2 3; do\n  az vm create -g demo-rg -n web0$zone --image Ubuntu2204 --zone $zone --location westeurope\ndone",
                    Variants = new(
                        "A region is the host city of a tournament; availability zones are separate stadiums in that city, so if the floodlights fail in one, matches carry on in another.",
                        "A region is the city where a restaurant chain operates; availability zones are branch kitchens with their own gas supply, so one outage does not stop dinner service.",
                        "A region is a mountain range; availability zones are separate base camps with their own supplies, so an avalanche at one leaves the others open."),
                    ColdCalls =
                    [
                        "Your users are in Germany and France. Which region would you choose, and which rule might influence the choice?",
                        "Explain the difference between a region and an availability zone with a comparison of your own.",
                    ],
                },
            ]),
            new("Core services",
            [
                new("Compute: virtual machines, containers and serverless",
                    "Compute is where your code runs. Virtual machines give you a whole server with an operating system. Containers package an application with its dependencies and start in seconds. Serverless functions run small pieces of code only when an event arrives, and you pay per execution.",
                    ["Virtual machines: full control; you patch the OS; billed while running.",
                     "Containers: portable and lightweight, orchestrated by services such as Kubernetes.",
                     "Serverless: no servers to manage, scales to zero, pay per execution.",
                     "Pick the simplest option that meets your needs."],
                    [Q("Which compute option scales to zero and bills per execution?", "Serverless functions",
                        "Serverless platforms run code on events and charge only while it runs.",
                        "A virtual machine running around the clock", "A physical server", "A dedicated host"),
                     Q("What does a container package together?", "An application and its dependencies",
                        "Containers bundle the app with its libraries so it runs the same everywhere.",
                        "A whole physical server", "Only the database", "The kernel of every cloud region"),
                     Q("Who patches the operating system of an IaaS virtual machine?", "The customer",
                        "In IaaS the provider runs the hypervisor; the guest OS is the customer's job.",
                        "Always the provider", "Nobody: virtual machines never need patches", "The internet service provider")])
                {
                    VideoUrl = "https://www.youtube.com/watch?v=cfdemo00005",
                    Analogy = "A virtual machine is renting a whole flat; a container is a furnished room you can move between buildings; serverless is a taxi: you only pay while it drives you somewhere.",
                    CodeLanguage = "csharp",
                    Code = "// VM:        az vm create -g demo-rg -n api-vm --image Ubuntu2204\n// Container: docker build -t shop-api . && docker run -p 8080:8080 shop-api\n// Serverless: an Azure Function that runs only when a request arrives\n[Function(\"Hello\")]\npublic HttpResponseData Run([HttpTrigger(AuthorizationLevel.Anonymous, \"get\")] HttpRequestData req)\n    => req.CreateResponse(HttpStatusCode.OK);",
                    Simulation = new("Pick the compute",
                        "For each scenario choose virtual machine, container or serverless, and say why.",
                        new
                        {
                            kind = "choose",
                            options = new[] { "Virtual machine", "Container", "Serverless" },
                            scenarios = new[]
                            {
                                new { prompt = "Resize uploaded images a few hundred times a day", answer = "Serverless" },
                                new { prompt = "Run a legacy Windows application that needs a specific OS setting", answer = "Virtual machine" },
                                new { prompt = "Ship the same web API to test and production unchanged", answer = "Container" },
                            },
                        }),
                },
                new("Storage: object, block and file",
                    "Cloud storage comes in three shapes. Object storage (Azure Blob Storage, Amazon S3) keeps files as objects with metadata behind a URL and scales almost without limit. Block storage is a virtual disk attached to a virtual machine. File storage offers shared folders over SMB or NFS. Access tiers (hot, cool, archive) trade retrieval speed for price.",
                    ["Object storage: images, videos, backups, static websites.",
                     "Block storage: operating-system and database disks of a virtual machine.",
                     "File storage: shared drives that several machines mount.",
                     "Cooler tiers cost less to store but more to read."],
                    [Q("Which storage type suits millions of user-uploaded photos?", "Object storage",
                        "Object storage scales almost without limit and serves each file by URL.",
                        "Block storage attached to one VM", "A file share mounted on a laptop", "The VM's temporary disk"),
                     Q("What is block storage typically used for?", "Disks attached to virtual machines",
                        "Block storage behaves like a hard drive for a VM or database.",
                        "Sending email", "Hosting DNS records", "Storing passwords in plain text"),
                     Q("What is the trade-off of the archive tier?", "Very cheap to store, but slow and costly to read back",
                        "Archive suits data you rarely need, such as old backups.",
                        "Free to read, expensive to store", "It deletes files after a day", "It is only available at weekends")])
                {
                    Analogy = "Object storage is a huge warehouse where every box has a label and an address; block storage is the hard drive inside your laptop; file storage is the shared office cupboard everyone can open.",
                    Code = "# Upload a file to object storage\naz storage blob upload --account-name demostore --container-name images --name logo.png --file ./logo.png\n# Move an old backup to the cheaper archive tier\naz storage blob set-tier --account-name demostore -c backups -n 2024-01.tar.gz --tier Archive",
                },
                new("Networking: virtual networks, subnets and load balancers",
                    "A virtual network (VNet or VPC) is your private network in the cloud. You divide it into subnets, control traffic with security groups (firewall rules), and put a load balancer in front of several servers so traffic is spread across them and unhealthy ones are skipped.",
                    ["Virtual network: a private IP address space for your resources.",
                     "Subnets separate tiers, for example web and database.",
                     "Network security groups allow or deny traffic by port and source.",
                     "Load balancers spread requests and run health checks."],
                    [Q("What does a load balancer do?", "Spreads incoming traffic across several healthy servers",
                        "Load balancers distribute requests and stop sending traffic to servers that fail health checks.",
                        "Encrypts the hard disk", "Creates user accounts", "Shrinks images"),
                     Q("Why put the database in a different subnet from the web servers?", "To control and restrict which traffic can reach it",
                        "Separate subnets let security rules allow only the web tier to talk to the database.",
                        "Databases cannot use IP addresses", "It makes every query faster", "Subnets are needed to pay the bill"),
                     Q("A security-group rule that allows port 443 lets through...", "HTTPS traffic",
                        "Port 443 is the standard port for HTTPS.",
                        "Only email", "Every port", "Nothing at all")])
                {
                    VideoUrl = "https://www.youtube.com/watch?v=cfdemo00007",
                    Analogy = "A virtual network is a gated housing estate; subnets are its streets; security groups are the guards at each gate checking who may enter; a load balancer is the receptionist sending each visitor to the next free adviser.",
                    Code = "az network vnet create -g demo-rg -n shop-vnet --address-prefix 10.0.0.0/16 \\\n  --subnet-name web --subnet-prefix 10.0.1.0/24\n# allow HTTPS only\naz network nsg rule create -g demo-rg --nsg-name web-nsg -n allow-https \\\n  --priority 100 --destination-port-ranges 443 --access Allow --protocol Tcp",
                },
                new("Managed databases",
                    "Managed database services (Azure Database for PostgreSQL, Amazon RDS, Cosmos DB) run the database engine for you: the provider handles installation, patching, backups and failover, while you design the tables and queries. Relational databases suit structured data with relationships; NoSQL databases suit flexible documents at massive scale.",
                    ["Automated backups and point-in-time restore.",
                     "High availability with a standby replica in another zone.",
                     "Scale compute and storage without reinstalling.",
                     "Choose relational (SQL) or NoSQL by the shape of your data."],
                    [Q("Which task does a managed database service take off your hands?", "Patching the engine and taking backups",
                        "The provider operates the engine; the schema and queries remain yours.",
                        "Designing your tables", "Writing your queries", "Choosing your product prices"),
                     Q("Which database type fits flexible JSON documents at very large scale?", "A NoSQL document database",
                        "Document databases store JSON-like documents and scale out horizontally.",
                        "A spreadsheet", "A block storage disk", "A load balancer"),
                     Q("What does point-in-time restore allow?", "Restoring the database to how it was at a chosen moment",
                        "Continuous backups let you rewind to just before a mistake.",
                        "Running queries in the future", "Deleting all backups", "Changing the region automatically")])
                {
                    Analogy = "Running your own database is like owning a car and doing every repair yourself. A managed database is a lease with full service: you drive, the garage handles oil changes and breakdowns.",
                    CodeLanguage = "sql",
                    Code = "-- created with: az postgres flexible-server create -g demo-rg -n shop-db --high-availability ZoneRedundant\nCREATE TABLE orders (\n  id uuid PRIMARY KEY,\n  total numeric(10,2) NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nSELECT date_trunc('day', created_at) AS day, sum(total) FROM orders GROUP BY 1 ORDER BY 1;",
                },
            ]),
            new("Operating in the cloud",
            [
                new("Identity and access management",
                    "Identity and access management (IAM) decides who can do what to which resource. Users and applications authenticate (prove who they are, ideally with multi-factor authentication), then role-based access control (RBAC) authorises them. The principle of least privilege says: give each identity only the permissions it needs.",
                    ["Authentication is who you are; authorisation is what you may do.",
                     "Use roles (Reader, Contributor, Owner) rather than individual permissions.",
                     "Turn on multi-factor authentication for every human account.",
                     "Applications should use managed identities instead of stored passwords."],
                    [Q("What is the principle of least privilege?", "Grant each identity only the permissions it needs",
                        "Fewer permissions mean a stolen account or a bug can do less damage.",
                        "Give everyone Owner rights to save time", "Share one admin password across the team", "Remove all passwords"),
                     Q("Authentication answers which question?", "Who are you?",
                        "Authentication proves identity; authorisation decides what that identity may do.",
                        "What may you do?", "How much does it cost?", "Where is the data stored?"),
                     Q("Why give an application a managed identity?", "So it can reach other resources without storing a secret",
                        "The platform issues tokens to the app; there is no password to leak or rotate.",
                        "To make the app run faster", "To give the app a public IP address", "To avoid using permissions at all")])
                {
                    VideoUrl = "https://www.youtube.com/watch?v=cfdemo00009",
                    Analogy = "IAM is the key-card system of an office building: your badge proves who you are, and it only opens the doors your job needs. A visitor's card opens the lobby, not the server room.",
                    Code = "# Read-only access for a developer on one resource group\naz role assignment create --assignee dev@contoso.com --role Reader \\\n  --scope /subscriptions/$SUB/resourceGroups/demo-rg\n# A function app that reads blobs without any stored secret\naz functionapp identity assign -g demo-rg -n shop-func",
                    Simulation = new("Least privilege in practice",
                        "Assign the smallest built-in role that lets each person do their job.",
                        new
                        {
                            kind = "choose",
                            options = new[] { "Reader", "Contributor", "Owner" },
                            scenarios = new[]
                            {
                                new { prompt = "A finance analyst who only needs to view resources and costs", answer = "Reader" },
                                new { prompt = "A developer deploying the team's web app", answer = "Contributor" },
                                new { prompt = "The team lead who grants access to new colleagues", answer = "Owner" },
                            },
                        }),
                },
                new("Pricing and cost management",
                    "Cloud bills follow usage: compute per second or hour, storage per gigabyte per month, and data leaving the provider's network. Reservations and savings plans cut prices for steady workloads, spot capacity is cheap but can be interrupted, and budgets with alerts plus tags on every resource keep spending visible.",
                    ["Switch off or scale down what you do not use: idle resources still cost money.",
                     "Reserved capacity: commit for one to three years for large discounts.",
                     "Spot instances: deep discounts for interruptible work.",
                     "Tag resources by team or project and set budget alerts."],
                    [Q("Which option suits a batch job that can be interrupted and restarted?", "Spot instances",
                        "Spot capacity is heavily discounted because the provider may reclaim it.",
                        "Reserved instances for three years", "A dedicated host", "Premium SSD storage"),
                     Q("What is the simplest way to cut the cost of a development VM used only in office hours?", "Shut it down outside office hours",
                        "A stopped (deallocated) VM does not incur compute charges.",
                        "Move it to a bigger size", "Add more disks", "Copy it to another region"),
                     Q("Why tag cloud resources?", "To see which team or project each cost belongs to",
                        "Tags let cost reports group spending by owner, project or environment.",
                        "To make them run faster", "Because untagged resources are deleted", "To encrypt them")])
                {
                    Analogy = "A cloud bill is like a mobile phone contract: pay-as-you-go is flexible but pricier per minute, a yearly plan is cheaper if you really use it, and a spending alert warns you before the bill shocks you.",
                    Code = "# A monthly budget for the team\naz consumption budget create --budget-name team-shop --amount 200 --time-grain Monthly \\\n  --start-date 2026-01-01 --end-date 2026-12-31\n# Stop a dev VM at 19:00 every day\naz vm auto-shutdown -g demo-rg -n dev-vm --time 1900",
                },
                new("Monitoring and logging",
                    "You cannot fix what you cannot see. Metrics (CPU, response time, error rate) show trends, logs record individual events, and traces follow one request across services. Dashboards and alerts turn this telemetry into action, for example paging the on-call engineer when the error rate passes 5%.",
                    ["Metrics: numbers over time, good for dashboards and alerts.",
                     "Logs: detailed events, good for investigating a problem.",
                     "Traces: one request's path through several services.",
                     "Alert on symptoms users feel (errors, latency), not on everything."],
                    [Q("Which telemetry is best for spotting an error rate that rises over a week?", "Metrics",
                        "Metrics are aggregated numbers over time, ideal for trends.",
                        "A single log line", "A screenshot", "A password reset"),
                     Q("What does a distributed trace show?", "The path of one request through several services",
                        "Traces connect the steps of a request so you can see where time or errors occur.",
                        "The total monthly bill", "The list of all users", "The physical location of a data centre"),
                     Q("What makes a good alert?", "It fires on symptoms users feel, such as a high error rate",
                        "Alerts on user-facing symptoms are actionable; noisy alerts get ignored.",
                        "It fires on every log line", "Nobody receives it", "It fires once a year")])
                {
                    VideoUrl = "https://www.youtube.com/watch?v=cfdemo00011",
                    Analogy = "Monitoring is the dashboard of a car: the speedometer and fuel gauge are metrics, the service book is the log, and the warning light is an alert telling you to stop before the engine breaks.",
                    CodeLanguage = "kusto",
                    Code = "// Failed requests per 5 minutes (Application Insights, KQL)\nrequests\n| where success == false\n| summarize failures = count() by bin(timestamp, 5m)\n| order by timestamp desc",
                },
                new("Shared responsibility and security basics",
                    "Security in the cloud is shared. The provider secures the physical data centres, the hardware and the global network. You secure what you put in the cloud: your data, identities, access rules and application code. The more managed the service (IaaS, then PaaS, then SaaS), the more of the stack the provider takes over, but data and identities always stay yours.",
                    ["Provider: physical security, hardware, hypervisor, global network.",
                     "Customer: data, accounts, access and configuration.",
                     "Encrypt data at rest and in transit (HTTPS/TLS).",
                     "Most cloud breaches come from misconfiguration, such as public storage."],
                    [Q("In the shared responsibility model, who secures the physical data centre?", "The cloud provider",
                        "Physical security is always on the provider's side of the line.",
                        "The customer", "The customer's internet provider", "Nobody"),
                     Q("What is always the customer's responsibility, whatever the service model?", "Their data and who can access it",
                        "Even with SaaS, the customer decides who gets access to its data.",
                        "The data centre's power supply", "The provider's hypervisor", "Cooling the servers"),
                     Q("What is a common cause of cloud data breaches?", "Misconfiguration, such as storage left open to the public",
                        "Most incidents come from settings customers control, not from broken provider security.",
                        "Using HTTPS", "Turning on multi-factor authentication", "Setting budget alerts")])
                {
                    Analogy = "Renting a flat: the landlord looks after the walls, the roof and the main entrance; you lock your own door, don't hand out copies of your key and keep your valuables safe.",
                    Code = "# Block anonymous public access to blobs\naz storage account update -g demo-rg -n demostore --allow-blob-public-access false\n# HTTPS only, TLS 1.2 or newer\naz storage account update -g demo-rg -n demostore --https-only true --min-tls-version TLS1_2",
                },
            ]),
        ]);

    public static CourseSpec CloudCareers { get; } = new(
        Slug: "cloud-careers-starter",
        Name: "Cloud Careers: Getting Started",
        Description: "A free, open mini-course: the roles in cloud teams and a realistic first learning plan.",
        Price: 0m,
        Mode: EnrollmentMode.Open,
        Modules:
        [
            new("Starting a cloud career",
            [
                new("Roles in cloud teams",
                    "Cloud teams include cloud engineers who build infrastructure, DevOps engineers who automate delivery, solutions architects who design systems, and operations or support engineers who keep them running. Many people enter through support, helpdesk or data roles.",
                    ["Cloud engineer: builds and maintains infrastructure.",
                     "DevOps engineer: automates builds, tests and deployments.",
                     "Solutions architect: designs systems that meet business needs.",
                     "Support and operations roles are common entry points."],
                    [Q("Which role mainly automates builds, tests and deployments?", "DevOps engineer",
                        "DevOps engineers own the delivery pipeline.",
                        "Solutions architect", "Data-entry clerk", "Office manager"),
                     Q("Which role designs systems to meet business requirements?", "Solutions architect",
                        "Architects translate requirements into a system design.",
                        "Helpdesk agent", "Recruiter", "Accountant"),
                     Q("What is a common entry point into cloud work?", "Support or helpdesk roles",
                        "Support work builds troubleshooting skills and exposure to real systems.",
                        "Chief technology officer", "Principal architect", "No entry point exists")]),
                new("Certifications and a learning plan",
                    "Entry certifications such as Microsoft Azure Fundamentals (AZ-900), AWS Certified Cloud Practitioner or Google Cloud Digital Leader prove basic knowledge. Pair one with a small hands-on project, such as a static website or a serverless function on a free-tier account.",
                    ["Start with one fundamentals certification.",
                     "Build a small project and publish it.",
                     "Use free tiers and delete resources when you are done.",
                     "Study a little every day rather than cramming."],
                    [Q("Which of these is an entry-level cloud certification?", "Microsoft Azure Fundamentals (AZ-900)",
                        "Fundamentals exams cover the concepts in this course.",
                        "A driving licence", "A first-aid certificate", "A forklift licence"),
                     Q("What makes a certification more convincing to employers?", "A small hands-on project you can show",
                        "Projects show you can apply what the exam tested.",
                        "Listing it twice on your CV", "Taking the exam without studying", "Hiding it from your profile"),
                     Q("How do you avoid surprise bills while practising?", "Use free tiers and delete resources when done",
                        "Resources left running keep costing money.",
                        "Leave everything running", "Use the largest VM sizes", "Share your account password")]),
            ]),
        ]);

    public static CourseSpec CloudCostClinic { get; } = new(
        Slug: "cloud-cost-clinic",
        Name: "Cloud Cost Clinic",
        Description: "A paid, self-paced clinic on keeping cloud bills small: where the money goes and the habits that save it.",
        Price: 29.00m,
        Mode: EnrollmentMode.Open,
        Modules:
        [
            new("Reading and cutting the bill",
            [
                new("Where the money goes",
                    "Most cloud bills are dominated by a few things: compute that runs around the clock, storage that only grows, and data leaving the provider's network (egress). Tags on every resource let you see which team or project spends what.",
                    ["Always-on compute is usually the largest line.",
                     "Storage grows quietly: old snapshots and logs add up.",
                     "Data leaving the cloud (egress) is billed; data coming in usually is not.",
                     "Tag resources so the bill can be split by project."],
                    [Q("Which item usually dominates a cloud bill?", "Compute that runs around the clock",
                        "Virtual machines and containers billed per hour add up fastest.",
                        "Free-tier sign-ups", "Reading the documentation", "Creating resource groups"),
                     Q("What is egress?", "Data leaving the provider's network",
                        "Providers charge for outbound data transfer; inbound is usually free.",
                        "Data arriving in the cloud", "A type of virtual machine", "A billing currency"),
                     Q("How do you split a bill by project?", "Tag every resource with its project",
                        "Cost reports group spending by tag.",
                        "Use one subscription for everything", "Delete the invoices", "Rename the account")]),
                new("Habits that save money",
                    "Switch off what you do not use (dev machines at night), right-size what you keep, buy reservations or savings plans for steady workloads, and set budgets with alerts so surprises show up in days, not at month end.",
                    ["Schedule dev and test machines to stop out of hours.",
                     "Right-size: pick the smallest size that meets the need.",
                     "Reservations and savings plans discount steady workloads.",
                     "Budgets with alerts catch surprises early."],
                    [Q("What is a quick win for development machines?", "Stop them outside working hours",
                        "A machine stopped for nights and weekends costs about a third of one left on.",
                        "Make them larger", "Run them in more regions", "Turn off their backups only"),
                     Q("When do reservations or savings plans pay off?", "For steady, predictable workloads",
                        "You commit to usage in exchange for a discount.",
                        "For one-off experiments", "For workloads you will delete tomorrow", "Never"),
                     Q("What catches a cost surprise early?", "A budget with alerts",
                        "Alerts fire when spending crosses a threshold.",
                        "Waiting for the monthly invoice", "Deleting the cost reports", "Sharing the admin password")]),
            ]),
        ]);


    public static IReadOnlyList<PageSpec> Pages { get; } =
    [
        new("about", "About Course Platform",
            "# About us\n\nCourse Platform teaches cloud skills to career changers and builders. Lessons adapt to how you learn: "
            + "plain-language analogies, hands-on code, or a quick revision plan.\n\nCohort courses run with a live tutor, "
            + "cold-call discussions and a batch project; open courses are self-paced."),
        new("faq", "Frequently asked questions",
            "## How do I join a cohort course?\nYour email must be on the cohort's allowlist. Sign in with Google using that email and enrol.\n\n"
            + "## Why does my lesson look different from my friend's?\nLessons adapt to your learning profile, so examples and explanations may differ.\n\n"
            + "## How many questions can I ask the AI tutor?\nSuggested prompts are free; typed questions are limited per module each day.\n\n"
            + "## What happens if I fail a module quiz?\nYou can retry after a short cooldown; the next module unlocks when you pass."),
    ];
}
