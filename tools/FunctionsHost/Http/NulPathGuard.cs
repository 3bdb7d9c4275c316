using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace CoursePlatform.FunctionsHost.Http;

/// <summary>
/// A NUL (<c>%00</c>) in the request target makes Kestrel refuse the request while decoding its path, with a bare 400
/// that no middleware sees. So that it is answered like every other 400 (problem+json), the connection's bytes are
/// watched: in the path of an HTTP/1.x request line, <c>%00</c> is rewritten in place to <c>%FF</c> (same length, so Kestrel's
/// positions hold), a byte that is never UTF-8, which Kestrel keeps undecoded; <see cref="RefuseAsync"/> then answers
/// every request whose raw target holds <c>%FF</c> (a NUL, or bytes that are not UTF-8) with a problem.
/// </summary>
public static class NulPathGuard
{
    public static void Use(IConnectionBuilder connections) =>
        connections.Use(next => connection =>
        {
            connection.Transport = new GuardedPipe(connection.Transport);
            return next(connection);
        });

    /// <summary>The 400 for a request whose target had a NUL or a byte that is not UTF-8.</summary>
    public static async Task<bool> RefuseAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var path = target.Split('?', 2)[0];
        if (path.IndexOf("%FF", StringComparison.OrdinalIgnoreCase) < 0) return false;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        // The shape of the app's own problems (RFC 9457 with code and traceId), so a client handles it like any 400.
        var traceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? System.Diagnostics.ActivityTraceId.CreateRandom().ToString();
        await context.Response.WriteAsync(
            $$"""{"type":"https://courseplatform.dev/problems/bad-request","title":"Bad request","status":400,"detail":"The path contains a NUL character or bytes that are not UTF-8.","code":"bad_request","traceId":"{{traceId}}"}""",
            context.RequestAborted);
        return true;
    }

    private sealed class GuardedPipe(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input { get; } = new GuardedReader(inner.Input);
        public PipeWriter Output => inner.Output;
    }

    private sealed class GuardedReader(PipeReader inner) : PipeReader
    {
        private static readonly byte[][] Methods = [.. new[] { "GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS " }.Select(Encoding.ASCII.GetBytes)];

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            Rewrite(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result)) return false;
            Rewrite(result.Buffer);
            return true;
        }

        /// <summary>
        /// Rewrites <c>%00</c> in each complete line of the buffer that starts with a method, which is how a request
        /// line looks. Bodies are not parsed, so a body line that itself reads "GET /x%00 HTTP/1.1" would be rewritten
        /// too: acceptable for a development host, and no client of this app sends one.
        /// </summary>
        private static void Rewrite(ReadOnlySequence<byte> buffer)
        {
            if (buffer.IsEmpty) return;
            var lineStart = true;
            foreach (var segment in buffer)
            {
                // Request lines are short and Kestrel reads them from one segment in practice; a line split across
                // segments is left alone (Kestrel then answers it itself).
                var span = MemoryMarshal.AsMemory(segment).Span;
                for (var i = 0; i < span.Length; i++)
                {
                    if (lineStart && StartsWithMethod(span[i..]))
                    {
                        var end = span[i..].IndexOf((byte)'\n');
                        if (end < 0) return;
                        var line = span.Slice(i, end);
                        // The path only: a NUL in the query reaches the app, which answers it itself.
                        var query = line.IndexOf((byte)'?');
                        if (query >= 0) line = line[..query];
                        for (var j = 0; j + 2 < line.Length; j++)
                            if (line[j] == '%' && line[j + 1] == '0' && line[j + 2] == '0') { line[j + 1] = (byte)'F'; line[j + 2] = (byte)'F'; }
                        i += end;
                    }
                    lineStart = span[i] == '\n';
                }
            }
        }

        private static bool StartsWithMethod(ReadOnlySpan<byte> span)
        {
            foreach (var method in Methods) if (span.StartsWith(method)) return true;
            return false;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
