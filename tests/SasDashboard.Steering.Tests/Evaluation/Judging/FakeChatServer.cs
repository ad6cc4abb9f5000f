using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SasDashboard.Steering.Tests.Evaluation.Judging;

/// <summary>What the fake server does with one request: reply (after an optional delay), or drop the connection mid-reply.</summary>
public sealed record ScriptedReply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan Delay = default, bool DropConnection = false)
{
    public static ScriptedReply Chat(string content, string model = "judge-model-0613") =>
        new(200, new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
        }.ToJsonString());
}

public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body);

/// <summary>
/// A minimal OpenAI-compatible server on 127.0.0.1 and a free port, answering each request with the next scripted
/// reply (when the script has run out: the responder's reply, else HTTP 500) and recording what it received.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Func<RecordedRequest, ScriptedReply>? _responder;
    private int _inFlight;
    private int _maxInFlight;

    private FakeChatServer(HttpListener listener, int port)
    {
        _listener = listener;
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string BaseUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The most requests the server was handling at the same moment.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    public static FakeChatServer Start()
    {
        for (int attempt = 0; ; attempt++)
        {
            var listener = new HttpListener();
            int port = FreePort();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeChatServer(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // another process took the port between probing and binding; try another
            }
        }
    }

    public FakeChatServer Then(ScriptedReply reply)
    {
        _script.Enqueue(reply);
        return this;
    }

    /// <summary>Answers every request the script does not, from the request itself (for concurrent clients).</summary>
    public FakeChatServer RespondWith(Func<RecordedRequest, ScriptedReply> responder)
    {
        Volatile.Write(ref _responder, responder);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        int inFlight = Interlocked.Increment(ref _inFlight);
        for (int max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                context.Request.Headers["Authorization"], body);
            _requests.Enqueue(request);
            var reply = _script.TryDequeue(out var next) ? next
                : Volatile.Read(ref _responder) is { } responder ? responder(request)
                : new ScriptedReply(500, "no scripted reply left");
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.AddHeader(name, value);
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.ContentType = "application/json";
            // A dropped connection: promise more bytes than are sent, then cut the connection mid-body.
            context.Response.ContentLength64 = reply.DropConnection ? bytes.Length + 100 : bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            if (reply.DropConnection)
            {
                context.Response.Abort();
                return;
            }
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (cancellation, timeout) or the server is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
