namespace CoursePlatform.Benchmarks.TutorEvaluation;

/// <summary>
/// Material 1 of the tutor evaluation: a recorded lecture's WebVTT transcript ("How the internet carries your request"),
/// one spoken sentence per cue as a captioning service writes them, with the fillers and restarts of speech.
/// </summary>
public static class LectureTranscript
{
    public const string FileName = "lecture-networking.vtt";

    private static readonly string[] Cues =
    [
        "Okay, welcome back everyone, today we follow a single web request from your laptop to a server and back.",
        "So when you type an address into the browser, the first thing that has to happen is name resolution.",
        "The browser asks a DNS resolver to turn the name into an IP address, because routers only understand numbers.",
        "The resolver usually belongs to your internet provider, or it is a public one like the ones big companies run.",
        "If the resolver does not have the answer cached, it starts at a root server, which points it to the top-level domain servers for dot com, for example.",
        "Those in turn point to the authoritative name server of the domain, and that one finally returns the A record with the IPv4 address.",
        "For IPv6 the record type is called AAAA, four A's, and a CNAME record is just an alias that points to another name.",
        "Every answer comes with a TTL, a time to live in seconds, and until it expires resolvers keep serving the cached answer.",
        "That is why, when you move a website to a new server, some users still reach the old one for a while: lower the TTL a day before the move.",
        "DNS queries themselves normally travel over UDP on port 53, and only large answers or zone transfers fall back to TCP.",
        "Right, now we have an address, and the browser wants to open a connection, and for that we need to talk about ports.",
        "An IP address gets the packet to the right machine, and the port number gets it to the right program on that machine.",
        "There are some well-known ports you should simply memorise for the exam.",
        "Plain HTTP uses port 80, and HTTPS, so HTTP over TLS, uses port 443.",
        "SSH, which you use to log in to a Linux server remotely, listens on port 22.",
        "PostgreSQL listens on 5432 by default, and SMTP servers exchange mail on port 25.",
        "Ports below 1024 are privileged on Linux, which means a normal user cannot bind a server to them without extra rights.",
        "When your browser connects out, the operating system picks a random high port for your side, called an ephemeral port.",
        "So a connection is really identified by four things: source address, source port, destination address and destination port.",
        "Now, TCP is connection oriented, so before any data flows the two sides perform the three-way handshake.",
        "The client sends a SYN segment, that's S Y N, carrying its initial sequence number.",
        "The server replies with a SYN-ACK, which acknowledges the client's number and carries the server's own sequence number.",
        "And finally the client sends an ACK, and only then is the connection established and the request can be sent.",
        "That handshake costs one full round trip before the first byte of your request, which matters a lot on a slow mobile network.",
        "A server that is flooded with SYN packets that never complete the handshake is under a SYN flood attack, and SYN cookies are the classic defence.",
        "Closing works with FIN segments from each side, and a side that closes first waits in the TIME_WAIT state for a while.",
        "Why does TCP bother with all this? Because it guarantees that bytes arrive complete and in order.",
        "Every segment is numbered, the receiver acknowledges what it got, and anything not acknowledged in time is sent again.",
        "TCP also does flow control with a receive window, so a fast sender cannot overwhelm a slow receiver.",
        "And congestion control, where the sender starts slowly and backs off when packets get lost, so the network is not overloaded.",
        "UDP on the other hand is connectionless: no handshake, no retransmission, no ordering, just datagrams fired off.",
        "That sounds worse, but for a video call or an online game a late packet is useless anyway, so UDP is the better fit.",
        "Newer protocols like QUIC, which HTTP/3 runs on, are built on top of UDP and do their own reliability in user space.",
        "Okay, the connection is open, but with HTTPS we are not done yet, because now comes the TLS handshake.",
        "The client says hello and lists the cipher suites it supports, and the server answers with its choice and its certificate.",
        "The certificate binds the server's public key to its domain name and is signed by a certificate authority that your browser trusts.",
        "If the name in the certificate does not match the address you typed, or the certificate has expired, the browser shows that big red warning.",
        "The two sides then agree on a shared session key, these days with an ephemeral Diffie-Hellman exchange.",
        "The public key cryptography is only used to agree on that key; the actual data is encrypted with fast symmetric encryption like AES.",
        "With TLS 1.3 the whole handshake takes a single round trip, which is one of the reasons it is faster than TLS 1.2.",
        "Right, so let's finally send the request: an HTTP request has a method, a path, headers and optionally a body.",
        "GET reads a resource and should never change anything on the server, while POST submits data, for example a form.",
        "PUT replaces a resource completely and is idempotent, meaning sending it twice has the same effect as sending it once.",
        "The response starts with a status code, and the first digit tells you the class of the answer.",
        "Codes in the two hundreds mean success, like 200 OK or 201 Created.",
        "Three hundreds are redirects, for example 301 Moved Permanently, which tells the browser to use the new address from now on.",
        "Four hundreds mean the client did something wrong: 404 Not Found, or 401 when you are not signed in, and 403 when you are signed in but not allowed.",
        "Five hundreds mean the server failed, like 500 Internal Server Error, or 503 Service Unavailable when it is overloaded or in maintenance.",
        "By the way, 429 Too Many Requests is what a rate limiter returns, usually together with a Retry-After header.",
        "Let me say a word about how the packets find their way, which is routing.",
        "Your laptop only knows its own subnet and a default gateway, which is the router it sends everything else to.",
        "Each router looks at the destination address and forwards the packet to the next hop according to its routing table, choosing the longest matching prefix.",
        "Every IP packet carries a TTL field too, a hop limit that each router decrements, so a packet caught in a routing loop dies instead of circling forever.",
        "The traceroute tool actually abuses that: it sends packets with TTL one, two, three and so on, and each router that drops one reveals itself.",
        "At home, all your devices share one public address thanks to NAT, network address translation, in your router.",
        "The router rewrites the private source address, like 192.168.1.20, to its public one and remembers the mapping so replies find their way back.",
        "That is also why you cannot simply reach a server running on your laptop from outside without port forwarding.",
        "Private address ranges, which are never routed on the public internet, are 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.",
        "Now the difference between latency and bandwidth, which people mix up all the time.",
        "Bandwidth is how much data per second the link can carry, latency is how long a single packet takes to get there.",
        "Think of a motorway: bandwidth is the number of lanes, latency is how long the drive takes, and adding lanes does not make the trip shorter.",
        "For loading a web page with many small requests, latency usually matters more than bandwidth, which is why content delivery networks put copies close to the users.",
        "The speed of light in fibre is about two hundred thousand kilometres per second, so a round trip from Europe to Australia can never be much below 250 milliseconds.",
        "You can measure the round-trip time yourself with ping, which uses ICMP echo requests rather than TCP or UDP.",
        "Okay, last topic before the break: what happens when something goes wrong and a connection simply hangs.",
        "If a firewall silently drops your packets, the client waits for a timeout, whereas if nothing listens on the port you get a connection refused immediately.",
        "So a fast connection refused means the machine is reachable but no program listens on that port, while a long hang points to a firewall or routing problem.",
        "A good first check is whether the name resolves at all, with nslookup or dig, before you blame the network.",
        "And that's it for the first half, after the break we will look at load balancers and how they spread these connections over many servers.",
    ];

    /// <summary>The transcript as WebVTT: 6 seconds a cue from the start of the recording.</summary>
    public static string Vtt()
    {
        var text = new System.Text.StringBuilder("WEBVTT\n\n");
        for (var i = 0; i < Cues.Length; i++)
            text.Append(Time(i * 6)).Append(" --> ").Append(Time(i * 6 + 6)).Append('\n').Append(Cues[i]).Append("\n\n");
        return text.ToString();

        static string Time(int seconds) => $"00:{seconds / 60:00}:{seconds % 60:00}.000";
    }
}
