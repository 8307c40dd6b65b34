namespace UserManagement.Infrastructure.Bus;

public enum BusTransport
{
    /// <summary>Durable local queues inside the web process: no server to run.</summary>
    Embedded = 0,

    /// <summary>RabbitMQ queues (connection string <c>ConnectionStrings:RabbitMQ</c>, an amqp:// URI).</summary>
    RabbitMQ = 1,
}

public enum DomainEventDelivery
{
    /// <summary>
    /// Each save's events are stored in the bus's outbox in the save's transaction and delivered after the commit through
    /// the durable, sequential <c>domain-events</c> queue (ADR 0021). While the bus is not running in the process (the
    /// command-line verbs, a process without hosted services) events are published in process after the commit.
    /// </summary>
    Outbox = 0,

    /// <summary>Published in process after the commit (ADR 0013): a crash between the commit and the publishing loses them.</summary>
    InProcess = 1,
}

/// <summary>The <c>Bus</c> section of the configuration.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary>The one queue background messages travel on.</summary>
    public const string BackgroundQueue = "background";

    /// <summary>The queue domain events travel on: one per node, since every node's subscribers need every event.</summary>
    public const string DomainEventsQueue = "domain-events";

    public BusTransport Transport { get; set; } = BusTransport.Embedded;

    /// <summary>How committed domain events reach this node's subscribers.</summary>
    public DomainEventDelivery DomainEvents { get; set; } = DomainEventDelivery.Outbox;

    public static readonly TimeSpan[] DefaultRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    /// <summary>
    /// How long the worker waits before each retry of a failed message; after the last one it is a dead letter.
    /// Empty means <see cref="DefaultRetryDelays"/> (the configuration binder appends to an array, never replaces it).
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    public TimeSpan[] EffectiveRetryDelays => RetryDelays.Length > 0 ? RetryDelays : DefaultRetryDelays;

    /// <summary>How long one message may run before it is cancelled (and retried). An import of 100,000 rows takes well under this.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Where <c>codegen write</c> puts the handler code it generates; defaults to this project's Internal/Generated.</summary>
    public string? GeneratedCodePath { get; set; }
}
