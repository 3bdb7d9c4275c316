namespace CoursePlatform.Benchmarks.TutorEvaluation;

public enum QuestionKind { Paraphrase, ExactTerm, FollowUp }

public enum Material { Lesson, Transcript, Deck, LessonFile }

/// <summary>
/// A question the course answers. The answering passage is a demo lesson chunk of <paramref name="Topic"/>, or (for the
/// uploaded files) any chunk whose text contains <paramref name="Evidence"/> (compared lower-case with whitespace
/// collapsed), so the label survives changes to chunk boundaries. A follow-up carries the <paramref name="Previous"/>
/// question of the same conversation; alone it is not answerable.
/// </summary>
public sealed record TutorQuestion(string Text, Material Material, QuestionKind Kind, string? Topic = null, string? Evidence = null, string? Previous = null);

/// <summary>
/// The tutor evaluation of issue 28: 155 questions over four materials of three kinds (the demo course's lesson
/// text, a lecture transcript, a deck with speaker notes, a lesson uploaded as text) and 50 off-topic questions, a
/// third of them near the course's domain or sharing its words. <see cref="HeldOut"/> splits both lists by position
/// (every second item of each material is held out); tuning looks at the other half only.
/// </summary>
public static class TutorQuestions
{
    private static TutorQuestion T(string text, string evidence, QuestionKind kind = QuestionKind.Paraphrase, string? previous = null) =>
        new(text, Material.Transcript, kind, Evidence: evidence, Previous: previous);
    private static TutorQuestion D(string text, string evidence, QuestionKind kind = QuestionKind.Paraphrase, string? previous = null) =>
        new(text, Material.Deck, kind, Evidence: evidence, Previous: previous);
    private static TutorQuestion M(string text, string evidence, QuestionKind kind = QuestionKind.Paraphrase, string? previous = null) =>
        new(text, Material.LessonFile, kind, Evidence: evidence, Previous: previous);

    private const QuestionKind Exact = QuestionKind.ExactTerm;
    private const QuestionKind FollowUp = QuestionKind.FollowUp;

    public static IReadOnlyList<TutorQuestion> Transcript { get; } =
    [
        T("Which port does HTTPS use?", "HTTPS, so HTTP over TLS, uses port 443", Exact),
        T("What packets are exchanged when a TCP connection is opened?", "The client sends a SYN segment", Exact),
        T("How does my computer find out the numeric address behind a website's name?", "turn the name into an IP address"),
        T("Where does a resolver start looking when it has nothing cached?", "starts at a root server"),
        T("What kind of DNS record holds an IPv6 address?", "the record type is called AAAA", Exact),
        T("Why do some visitors still land on my old server after I moved the site?", "some users still reach the old one"),
        T("How long does a resolver keep a cached answer?", "Every answer comes with a TTL"),
        T("Does DNS use TCP or UDP?", "over UDP on port 53", Exact),
        T("What is the point of a port number if we already have the IP address?", "the port number gets it to the right program"),
        T("Which port does SSH listen on?", "listens on port 22", Exact),
        T("What is the default port of PostgreSQL?", "PostgreSQL listens on 5432", Exact),
        T("Why can't a normal user start a web server on port 80 on Linux?", "Ports below 1024 are privileged"),
        T("What is an ephemeral port?", "called an ephemeral port", Exact),
        T("What four values together identify one connection?", "source address, source port, destination address and destination port"),
        T("Why does opening a connection slow down page loads on a phone network?", "costs one full round trip before the first byte"),
        T("How do attackers exhaust a server with half-open connections, and what protects against it?", "SYN cookies are the classic defence"),
        T("What is the TIME_WAIT state?", "TIME_WAIT", Exact),
        T("How does the protocol make sure nothing gets lost or arrives in the wrong order?", "anything not acknowledged in time is sent again"),
        T("What stops a quick sender from drowning a slow receiver?", "flow control with a receive window"),
        T("Why would a video call prefer the protocol without retransmissions?", "a late packet is useless anyway"),
        T("What transport does HTTP/3 run on?", "built on top of UDP", Exact),
        T("What does the server send back during the secure handshake so the browser can trust it?", "answers with its choice and its certificate"),
        T("Why does my browser show a scary warning for some sites?", "the browser shows that big red warning"),
        T("If public-key crypto is slow, how is the bulk of the traffic encrypted?", "fast symmetric encryption like AES"),
        T("Why is TLS 1.3 quicker to connect than 1.2?", "With TLS 1.3 the whole handshake takes a single round trip", Exact),
        T("Which request method should never modify anything on the server?", "GET reads a resource"),
        T("What does idempotent mean?", "idempotent, meaning sending it twice", Exact),
        T("What does a 301 response tell the browser?", "301 Moved Permanently", Exact),
        T("What's the difference between 401 and 403?", "403 when you are signed in but not allowed", Exact),
        T("What status does a server return when it is overloaded or down for maintenance?", "503 Service Unavailable"),
        T("What does a rate limiter answer when I send too many requests?", "429 Too Many Requests"),
        T("How does my laptop know where to send packets for other networks?", "a default gateway"),
        T("How does a router choose where to forward a packet?", "longest matching prefix"),
        T("What prevents a packet from looping between routers forever?", "a hop limit that each router decrements"),
        T("How does traceroute discover the routers along the path?", "The traceroute tool actually abuses that", Exact),
        T("How can all the devices in my home share one public address?", "thanks to NAT"),
        T("Why can't my friend reach the server running on my laptop at home?", "without port forwarding"),
        T("Which IP ranges are private?", "10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16", Exact),
        T("Is a faster internet plan with more megabits going to make my page load quicker?", "adding lanes does not make the trip shorter"),
        T("Why is there a minimum delay to reach a server on the other side of the world?", "can never be much below 250 milliseconds"),
        T("What protocol does ping use?", "ICMP echo requests", Exact),
        T("My connection just hangs instead of failing; what does that suggest?", "a long hang points to a firewall or routing problem"),
        T("What should I check first before blaming the network?", "whether the name resolves at all"),
        T("and after the SYN, what does the server reply?", "The server replies with a SYN-ACK", FollowUp, "What packets are exchanged when a TCP connection is opened?"),
        T("what about IPv6?", "the record type is called AAAA", FollowUp, "Which DNS record returns the IPv4 address of a domain?"),
        T("and for SSH?", "listens on port 22", FollowUp, "Which port does HTTPS use?"),
        T("why is it better for games then?", "a late packet is useless anyway", FollowUp, "What is UDP?"),
    ];

    public static IReadOnlyList<TutorQuestion> Deck { get; } =
    [
        T2("Why is a query on a big table without an index so slow?", "a sequential scan"),
        T2("Can an index also help with sorting results?", "ORDER BY", Exact),
        T2("In a multi-column index, should the equality column or the range column come first?", "Put the columns you compare with equals first"),
        T2("Can an index on (customer_id, created_at) be used for a query on created_at alone?", "not a query on created_at alone", Exact),
        T2("Why not just index every column?", "Each index slows down INSERT, UPDATE and DELETE"),
        T2("How do I find indexes that are never used?", "pg_stat_user_indexes", Exact),
        T2("How can I index only the rows that are still pending?", "A partial index only covers the rows"),
        T2("How do I make a case-insensitive email lookup use an index?", "an index on lower(email)", Exact),
        T2("What is the difference between EXPLAIN and EXPLAIN ANALYZE?", "EXPLAIN ANALYZE actually runs the query"),
        T2("The planner's row estimates are far off from reality; what should I do?", "running ANALYZE on the table"),
        T2("Is it safe to EXPLAIN ANALYZE an UPDATE on production?", "EXPLAIN ANALYZE of an UPDATE really updates the rows", Exact),
        T2("How do I make a money transfer either fully happen or not at all?", "a transfer debits one account and credits the other"),
        T2("After one statement fails inside a transaction, why does everything else fail too?", "refuses every further statement until you roll back"),
        T2("Why is it bad to keep a transaction open while waiting for the user?", "holds its locks and keeps old row versions alive"),
        T2("What is the default isolation level?", "Read committed is the default", Exact),
        T2("Why can two identical reads in one transaction return different results?", "two reads in one transaction can"),
        T2("What does the serializable level guarantee?", "as if they had run one after the other"),
        T2("What must my application do when a serializable transaction is aborted?", "run the entire transaction again from the beginning"),
        T2("What does SQLSTATE 40001 mean?", "SQLSTATE 40001", Exact),
        T2("Is it enough to retry just the statement that failed with a serialization error?", "Retrying only the failed statement is wrong"),
        T2("Does an UPDATE overwrite the row where it is stored?", "it writes a new version and marks the"),
        T2("Why doesn't a long-running report block the writers?", "does not block the writers"),
        T2("What are dead tuples and what removes them?", "dead tuples, stay in the table until VACUUM removes them", Exact),
        T2("Why does my heavily updated table keep growing on disk?", "will bloat"),
        T2("What does SELECT FOR UPDATE do?", "SELECT FOR UPDATE locks rows you intend to change", Exact),
        T2("How do two transactions end up waiting for each other forever, and how does the database react?", "A deadlock happens"),
        T2("How do I avoid deadlocks in my code?", "lock rows in the same order in every code path"),
        T2("How long does PostgreSQL wait before it checks for a deadlock?", "deadlock_timeout, one second by default", Exact),
        T2("Why is it a problem to open thousands of connections to the database?", "Every PostgreSQL connection is a separate server process"),
        T2("What does PgBouncer do?", "A pooler such as PgBouncer", Exact),
        T2("Why do my SET commands get lost behind the connection pooler?", "does not survive"),
        T2("What is the difference between json and jsonb?", "plain json just keeps the text", Exact),
        T2("How can I quickly find rows whose JSON attributes contain a given key and value?", "GIN index on a jsonb column"),
        T2("Should I put all my fields into a JSON column?", "keep the fields you always query as regular columns"),
        T2("Which backup tool makes a logical copy I can load into another version?", "pg_dump writes a logical copy", Exact),
        T2("How can I restore the database to the moment just before someone dropped a table?", "replaying the WAL up to a chosen"),
        T2("How can a second server take load off the primary?", "serve read-only queries"),
        T2("I wrote a row and then read it from the replica but it wasn't there; why?", "may not see it yet"),
        T2("what error code does it raise?", "SQLSTATE 40001", FollowUp, "What happens to a serializable transaction that conflicts with another one?"),
        T2("and how should the application respond to it?", "run the entire transaction again from the beginning", FollowUp, "What does SQLSTATE 40001 mean?"),
        T2("what about the range column?", "the column you filter by a range", FollowUp, "Which columns go first in a composite index?"),
        T2("and what does the autovacuum do?", "Autovacuum does this", FollowUp, "What are dead tuples?"),
        T2("how is that different from the default level?", "Repeatable read gives the whole transaction one snapshot", FollowUp, "What does repeatable read isolation give you?"),
        T2("does it cost anything on writes?", "Each index slows down INSERT, UPDATE and DELETE", FollowUp, "What is a B-tree index good for?"),
        T2("what mode should it run in?", "transaction pooling mode", FollowUp, "What does PgBouncer do?"),
    ];

    public static IReadOnlyList<TutorQuestion> LessonFile { get; } =
    [
        M("What does training a model actually mean?", "Training means finding values for those weights"),
        M("How do I measure how wrong a price prediction model is?", "mean squared error"),
        M("Which loss is used for spam classification?", "we use cross-entropy", Exact),
        M("How does the algorithm decide which way to change the weights?", "we take a small step in the opposite direction"),
        M("Why train on small random batches rather than all the data at once?", "much cheaper per step"),
        M("What happens if the step size is too big?", "the updates overshoot the minimum"),
        M("What is an epoch?", "is called an epoch", Exact),
        M("My training loss keeps going down but the error on new data goes up; what is happening?", "starts to rise"),
        M("What is underfitting?", "Underfitting is the opposite", Exact),
        M("What are the validation and test sets for?", "the validation set to choose hyperparameters"),
        M("Why shouldn't I tune my model on the test set?", "its score is no longer an honest estimate"),
        M("What is weight decay?", "also called weight decay", Exact),
        M("How does dropout reduce overfitting?", "Dropout randomly switches off a fraction of the neurons"),
        M("When should training be stopped early?", "Early stopping simply ends training"),
        M("Why should I rescale age and income before training?", "Standardising each feature to mean zero"),
        M("On which data should the scaling statistics be computed?", "Compute the mean and deviation on the training set only"),
        M("Why is 99 percent accuracy meaningless for fraud detection?", "a model that always says not fraud is 99 percent accurate"),
        M("What is the difference between precision and recall?", "Precision is the share of flagged cases"),
        M("What happens to recall if I raise the decision threshold?", "Raising the decision threshold usually increases precision and lowers recall"),
        M("What is a confusion matrix?", "A confusion matrix lays out true positives", Exact),
        M("and if it is too small?", "If it is too small, training crawls", FollowUp, "What happens if the learning rate is too large?"),
        M("how do I spot it?", "a training loss that keeps falling", FollowUp, "What is overfitting?"),
    ];

    private static TutorQuestion T2(string text, string evidence, QuestionKind kind = QuestionKind.Paraphrase, string? previous = null) =>
        D(text, evidence, kind, previous);

    /// <summary>The demo course's own lessons (issue 13's set, plus follow-ups), answered by the topic's lesson chunks.</summary>
    public static IReadOnlyList<TutorQuestion> Lessons { get; } =
    [
        .. CoursePlatform.Benchmarks.AiTutorEvaluationSet.OnTopic.Select(q => new TutorQuestion(q.Text, Material.Lesson,
            q.ExactTerm ? QuestionKind.ExactTerm : QuestionKind.Paraphrase, Topic: q.Topic)),
        new("and how does it differ from PaaS?", Material.Lesson, FollowUp, Topic: AiTutorEvaluationSet.ServiceModels, Previous: "What is IaaS?"),
        new("what about the cold tier?", Material.Lesson, FollowUp, Topic: AiTutorEvaluationSet.Storage, Previous: "What is the hot tier of object storage?"),
    ];

    public static IReadOnlyList<TutorQuestion> OnTopic { get; } = [.. Lessons, .. Transcript, .. Deck, .. LessonFile];

    /// <summary>Nothing in the course answers these: general knowledge, then questions that share the course's words or domain.</summary>
    public static IReadOnlyList<string> OffTopic { get; } =
    [
        .. AiTutorEvaluationSet.OffTopic,
        "What is the best way to learn the guitar?",
        "What is the offside rule in ice hockey?",
        "How do I learn to play chess well?",
        "How many players are on a basketball team?",
        "What is the boiling point of water at high altitude?",
        "How do I bake sourdough bread?",
        "Who wrote Pride and Prejudice?",
        "What is the tallest mountain in Africa?",
        "How do vaccines train the immune system?",
        "What is the difference between a crocodile and an alligator?",
        "How do I get rid of weeds in my lawn?",
        "What is the rate of inflation in Japan?",
        "How do I improve my handwriting?",
        "When is the best season to plant tomatoes?",
        "How do noise-cancelling headphones work?",
        "What is the port of Rotterdam famous for?",
        "How do I calculate the interest on my mortgage?",
        "Which wine goes well with fish?",
        "How long should I rest between sets at the gym?",
        "What causes the northern lights?",
        "How do I teach my dog to sit?",
        "What is a good learning routine for memorising vocabulary in a foreign language?",
        "How do I ask my landlord to repair the heating?",
        "What is the history of the Silk Road trade routes?",
        "How do bees make honey?",
        "How do I tie a tie?",
        "What is the speed limit on German motorways?",
        "How does a pension fund invest my money?",
        "Which ferry connects Dover and Calais?",
        "How do I remove a red wine stain from a carpet?",
        "What are the rules of a penalty shoot-out in football?",
        "How do I train for my driving test?",
        "Why do cats purr?",
        "How should I prepare for a job interview?",
        "What is the plot of Hamlet?",
        "What exercises help with back pain?",
        "How do I become a better public speaker?",
        "Where do eels go to spawn?",
        // Added 2026-12-07 (a second batch, written before any run with them; every second one is held out as before).
        "Which stock market index follows the largest American companies?",
        "How do I back my car into a tight parking space?",
        "What kind of clouds bring thunderstorms?",
        "How do I build a professional network when I start a new job?",
        "Which wine regions of France are best for a weekend trip?",
        "How do I become a fashion model?",
        "How long does a bank transfer between two countries take?",
        "What is the best way to store winter clothes over the summer?",
        "How do I train my cat to use a scratching post?",
        "What is the exchange rate between the euro and the pound?",
        "How do I copy a famous painting in oil paints?",
        "Where do cruise ships dock in Barcelona?",
        "How does a waiter look after several tables at once in a busy restaurant?",
        "What is the right way to serve in tennis?",
        "How do I set up the filter of a fish tank?",
        "What does a packet of seeds need to germinate?",
        "How do I keep my heart rate in the fat-burning zone?",
        "What is the etiquette of a handshake in Japan?",
        "How do I protect my house from a flood?",
        "How do I plan the route of a road trip across the United States?",
        "How do I address a letter to someone abroad?",
        "Which parcel service delivers fastest within Europe?",
        "How do I find my grandparents' records in a national archive?",
        "How many tiers should a wedding cake have?",
        "How long does it take to recover from a broken leg?",
        "How do I choose a good lock for my front door?",
        "How do trade unions negotiate wages with employers?",
        "How do I commit to a daily exercise habit?",
        "How do I query an unexpected charge on my electricity bill?",
        "What is a good feeding schedule for a newborn baby?",
        "How do I scale a recipe up for twelve people?",
        "Which bridge has the longest span in the world?",
        "What is the etiquette of queuing at a British bus stop?",
        "How do I pack a sleeping bag small enough to fit in a backpack?",
        "What is the cost of living in Singapore?",
        "How do I lower my cholesterol level?",
        "What makes a vintage year for champagne?",
        "How do I balance my household accounts at the end of the month?",
        "How do lighthouse keepers signal to ships at night?",
        "How do I write a cover letter for a teaching job?",
    ];

    /// <summary>Held out from tuning: every second question of each material, and every second off-topic question.</summary>
    public static bool HeldOut(TutorQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var list = question.Material switch
        {
            Material.Lesson => Lessons,
            Material.Transcript => Transcript,
            Material.Deck => Deck,
            _ => LessonFile,
        };
        return IndexOf(list, question) % 2 == 1;
    }

    public static bool HeldOut(string offTopic) => IndexOf(OffTopic, offTopic) % 2 == 1;

    private static int IndexOf<T>(IReadOnlyList<T> list, T item)
    {
        for (var i = 0; i < list.Count; i++) if (Equals(list[i], item)) return i;
        throw new ArgumentException("not in the evaluation", nameof(item));
    }
}
