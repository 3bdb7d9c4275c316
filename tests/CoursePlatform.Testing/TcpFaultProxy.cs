using System.Net;
using System.Net.Sockets;

namespace CoursePlatform.Testing;

/// <summary>
/// A TCP relay between the app and a dependency (PostgreSQL, Azurite) that a test can cut: <see cref="Cut"/> resets
/// every open connection and refuses new ones, as a server that went away; <see cref="Restore"/> relays again.
/// <see cref="ResetConnectionsAfter"/> lets small exchanges through and breaks long transfers, as a flaky network
/// does; <see cref="Blackhole"/> accepts and swallows everything and answers nothing, as a partitioned network or a
/// frozen server does. Loopback only; one task pair per connection.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> open = [];
    private readonly Task accepting;
    private volatile bool cut;
    private volatile bool blackhole;
    private long bytesPerConnection = -1;

    public TcpFaultProxy(int targetPort)
    {
        target = new IPEndPoint(IPAddress.Loopback, targetPort);
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections relayed so far (a restored proxy counts on).</summary>
    public int Accepted { get; private set; }

    /// <summary>Resets every relayed connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        cut = true;
        lock (open)
        {
            foreach (var (client, upstream) in open)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, as a crashed peer
                client.Dispose();
                upstream.Dispose();
            }
            open.Clear();
        }
    }

    /// <summary>
    /// From now on nothing gets through either way and nothing is refused: new connections are accepted and never
    /// answered, open ones go silent. <see cref="Restore"/> resets the connections that went silent (their bytes are lost).
    /// </summary>
    public void Blackhole() => blackhole = true;

    public void Restore()
    {
        if (blackhole) Cut();
        cut = false;
        blackhole = false;
        Interlocked.Exchange(ref bytesPerConnection, -1);
    }

    /// <summary>
    /// Resets each connection once it has carried <paramref name="bytes"/> toward the client (the app): requests with
    /// small answers still work, a download longer than that breaks mid-way, however often it is retried.
    /// </summary>
    public void ResetConnectionsAfter(long bytes) => Interlocked.Exchange(ref bytesPerConnection, bytes);

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            if (cut)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose(); // refused: the peer sees a reset at once
                continue;
            }
            if (blackhole)
            {
                _ = SwallowAsync(client);
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(target, stopping.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            client.Dispose();
            upstream.Dispose();
            return;
        }
        lock (open)
        {
            open.Add((client, upstream));
            Accepted++;
        }
        using var relay = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var a = Pump(client.GetStream(), upstream.GetStream(), relay.Token, silent: () => blackhole);
        var b = Pump(upstream.GetStream(), client.GetStream(), relay.Token, () => Interlocked.Read(ref bytesPerConnection), () => blackhole);
        await Task.WhenAny(a, b);
        await relay.CancelAsync();
        lock (open) open.Remove((client, upstream));
        client.Dispose();
        upstream.Dispose();
    }

    /// <summary>An accepted connection that is read and never answered, until <see cref="Restore"/> or disposal resets it.</summary>
    private async Task SwallowAsync(TcpClient client)
    {
        lock (open) open.Add((client, client));
        var buffer = new byte[4096];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, stopping.Token) > 0) { }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
        }
        lock (open) open.Remove((client, client));
        client.Dispose();
    }

    private static async Task Pump(NetworkStream from, NetworkStream to, CancellationToken cancellationToken,
        Func<long>? budget = null, Func<bool>? silent = null)
    {
        var buffer = new byte[16 * 1024];
        long carried = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (budget?.Invoke() is >= 0 and var limit && carried + read > limit)
                {
                    await to.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, limit - carried)), cancellationToken);
                    to.Socket.LingerState = new LingerOption(true, 0); // RST mid-transfer
                    to.Socket.Close();
                    return;
                }
                if (silent?.Invoke() == true) continue; // swallowed
                carried += read;
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // one side went away: the relay ends
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Cut();
        try { await accepting; } catch (OperationCanceledException) { }
        stopping.Dispose();
    }
}
