using System.Text.Json;
using global::Igor.GitHubActions.State;
using Igor.GitHubActions.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace Igor.GitHubActions.Tests.State;

/// <summary>
/// Stores written by the release before the common leased queue: the Echo outbox and the deployment statuses as it
/// left them (its exact SQLite schema and rows, its exact Redis keys and fields) are read by this release, and what
/// this release writes on Redis is still read by that one during a rolling upgrade.
/// </summary>
public sealed class QueueUpgradeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static readonly long Ms = Now.ToUnixTimeMilliseconds();

    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Test]
    public async Task Sqlite_TheReleaseBeforesQueues_AreUpgradedInPlace_NothingLostNothingSentAgain()
    {
        var path = Path.Combine(TestPaths.NewScratchDirectory(), "store.db");
        WriteReleaseBefore(path);

        var store = new SqliteStateStore(path);
        await AssertUpgradedAsync(store);

        // A delivery from before the bodies had a table of their own still has its body.
        var inline = (await store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Should().ContainSingle().Subject;
        WebhookPayload.Delivery(inline).Should().Be(new WebhookDelivery("inline-1", "workflow_run", "{\"old\":true}", Now.AddSeconds(-2)));
        await store.Deliveries.ReleaseAsync([inline], CancellationToken.None);

        // Opening the upgraded file again changes nothing: the pending message and the one added since are there, once.
        var again = new SqliteStateStore(path);
        (await again.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Select(m => m.Key).Should().BeEquivalentTo(["build:m:pending", "build:m:new"]);
        (await again.Outbox.ListDeadLettersAsync(10, CancellationToken.None)).Should().ContainSingle();
        (await again.DeploymentStatuses.ListGroupAsync("e1", CancellationToken.None)).Select(s => s.Outcome).Should().Equal("sent");
    }

    [Test]
    public async Task Redis_TheReleaseBeforesKeys_AreReadAsTheyAre()
    {
        var prefix = $"upgrade-{Guid.NewGuid():N}:";
        await WriteReleaseBeforeAsync(_connection.GetDatabase(), prefix);

        var store = new RedisStateStore(_connection, prefix);
        (await store.Deliveries.CountPendingAsync(CancellationToken.None)).Should().Be(2, "the older release's pending deliveries count until taken over");
        await AssertUpgradedAsync(store);

        // The delivery an older replica holds is taken over due when that replica's claim runs out, not before.
        var db = _connection.GetDatabase();
        (await db.SortedSetLengthAsync($"{prefix}deliveries:pending")).Should().Be(0, "every pending delivery was taken over");
        (await db.KeyTimeToLiveAsync($"{prefix}delivery:pending-1")).Should().BeCloseTo(TimeSpan.FromDays(7), TimeSpan.FromMinutes(1), "the older id marker goes with the retention (7 days by default), as a processed one would");
        (await store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddSeconds(59), CancellationToken.None)).Should().BeEmpty();
        var held = (await store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddMinutes(1), CancellationToken.None)).Should().ContainSingle().Subject;
        WebhookPayload.Delivery(held).Should().Be(new WebhookDelivery("leased-1", "workflow_run", "{\"n\":4}", Now.AddSeconds(-2)));

        // An id the older release accepted is a redelivery here too.
        (await store.Deliveries.EnqueueAsync(Delivery("done-1"), CancellationToken.None)).Should().BeFalse();
    }

    [Test]
    public async Task Redis_WhatThisReleaseWrites_TheReleaseBeforeStillReads()
    {
        var prefix = $"rolling-{Guid.NewGuid():N}:";
        var store = new RedisStateStore(_connection, prefix);
        await store.Outbox.EnqueueAsync(new NewLeasedItem<EchoMessage>("build:m:1", "m:job", new EchoMessage("/", "{\"n\":1}"), Now), CancellationToken.None);
        await store.DeploymentStatuses.EnqueueAsync(
            new NewLeasedItem<DeploymentStatusWrite>("e9:success:5", "e9", new DeploymentStatusWrite("acme/api", 7, "success", "{}"), Now) { Final = true, Version = 5 },
            CancellationToken.None);
        var db = _connection.GetDatabase();

        // The release before claimed outbox items by these fields and finished them by 'grp'.
        var outbox = await db.HashGetAllAsync($"{prefix}outbox:msg:1");
        outbox.ToDictionary(e => (string)e.Name!, e => (string)e.Value!).Should().Contain(new Dictionary<string, string>
        {
            ["key"] = "build:m:1", ["grp"] = "m:job", ["path"] = "/", ["body"] = "{\"n\":1}", ["attempts"] = "0", ["lease_until"] = "0",
        });
        (await db.SortedSetRankAsync($"{prefix}outbox:group:m:job", 1)).Should().Be(0);

        // It read a status back from its JSON, needing each required member, and finished it by the JSON's Group.
        using var json = JsonDocument.Parse((string)(await db.HashGetAsync($"{prefix}depstatus:msg:1", "json"))!);
        var root = json.RootElement;
        (root.GetProperty("Key").GetString(), root.GetProperty("Group").GetString(), root.GetProperty("Repository").GetString(),
            root.GetProperty("DeploymentId").GetInt64(), root.GetProperty("State").GetString(), root.GetProperty("Body").GetString(),
            root.GetProperty("NextAttemptAt").GetDateTimeOffset())
            .Should().Be(("e9:success:5", "e9", "acme/api", 7L, "success", "{}", Now));
        (await db.SortedSetRankAsync($"{prefix}depstatus:pending:e9", 1)).Should().Be(0);
    }

    private static async Task AssertUpgradedAsync(IStateStore store)
    {
        var lease = TimeSpan.FromMinutes(1);

        // The inbox: a processed delivery's id still refuses its redelivery; a pending one is processed, with its body.
        (await store.Deliveries.ContainsAsync("done-1", CancellationToken.None)).Should().BeTrue();
        (await store.Deliveries.EnqueueAsync(Delivery("done-1"), CancellationToken.None)).Should().BeFalse();
        var delivery = (await store.Deliveries.ClaimAsync(1, lease, Now, CancellationToken.None)).Should().ContainSingle().Subject;
        WebhookPayload.Delivery(delivery).Should().Be(new WebhookDelivery("pending-1", "deployment", "{\"n\":2}", Now.AddSeconds(-3)));
        (await store.Deliveries.CompleteAsync(delivery, "processed", null, Now, CancellationToken.None)).Should().BeTrue();
        (await store.Deliveries.EnqueueAsync(Delivery("pending-1"), CancellationToken.None)).Should().BeFalse();

        // The outbox: the delivered and the moved-aside keys are still emitted once only; the pending one is sent.
        (await store.Outbox.ContainsAsync("build:m:delivered", CancellationToken.None)).Should().BeTrue();
        (await store.Outbox.ContainsAsync("build:m:refused", CancellationToken.None)).Should().BeTrue();
        (await store.Outbox.EnqueueAsync(new NewLeasedItem<EchoMessage>("build:m:refused", "m:job", new EchoMessage("/", "{}"), Now), CancellationToken.None)).Should().BeFalse();
        (await store.Outbox.CountPendingAsync(CancellationToken.None)).Should().Be(1);
        var letter = (await store.Outbox.ListDeadLettersAsync(10, CancellationToken.None)).Should().ContainSingle().Subject;
        (letter.Key, letter.Group, letter.Payload.Path, letter.Attempts, letter.LastError, letter.DoneAt)
            .Should().Be(("build:m:refused", "m:job", "/", 2, "Echo answered 400", Now.AddSeconds(-30)));
        var pending = (await store.Outbox.ClaimAsync(10, lease, Now, CancellationToken.None)).Should().ContainSingle().Subject;
        (pending.Key, pending.Group, pending.Payload, pending.Attempts, pending.LastError)
            .Should().Be(("build:m:pending", "m:job", new EchoMessage("/", "{\"n\":3}"), 1, "Echo answered 503"));
        await store.Outbox.ReleaseAsync([pending], CancellationToken.None);

        // The deployment statuses: the sent one stays sent and keeps its execution closed; the pending one is written.
        var e1 = (await store.DeploymentStatuses.ListGroupAsync("e1", CancellationToken.None)).Should().ContainSingle().Subject;
        (e1.Key, e1.Payload.State, e1.Outcome, e1.Attempts).Should().Be(("e1:success:200", "success", "sent", 1));
        (await store.DeploymentStatuses.EnqueueAsync(
            new NewLeasedItem<DeploymentStatusWrite>("e1:failure:150", "e1", new DeploymentStatusWrite("acme/api", 7, "failure", "{}"), Now) { Final = true, Version = 150 },
            CancellationToken.None)).Should().BeFalse("the execution's final status from an event at 200 makes one at 150 stale");
        var status = (await store.DeploymentStatuses.ClaimAsync(10, lease, Now, CancellationToken.None)).Should().ContainSingle().Subject;
        (status.Key, status.Group, status.Payload).Should().Be(("e2:in_progress", "e2", new DeploymentStatusWrite("acme/api", 8, "in_progress", "{\"state\":\"in_progress\"}")));
        await store.DeploymentStatuses.ReleaseAsync([status], CancellationToken.None);

        // New items go after the old ones.
        const string key = "build:m:new";
        (await store.Outbox.EnqueueAsync(new NewLeasedItem<EchoMessage>(key, "m:other", new EchoMessage("/", "{}"), Now), CancellationToken.None)).Should().BeTrue();
        var claimed = await store.Outbox.ClaimAsync(10, lease, Now, CancellationToken.None);
        claimed.Single(c => c.Key == key).Sequence.Should().BeGreaterThan(3);
        await store.Outbox.ReleaseAsync(claimed, CancellationToken.None);
    }

    private static NewLeasedItem<WebhookPayload> Delivery(string id) => new(id, "", new WebhookPayload("workflow_run", Now, "{}"), Now);

    /// <summary>The release before's SQLite tables for the three queues, with what it left in them.</summary>
    private static void WriteReleaseBefore(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $$"""
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                event TEXT NOT NULL,
                body TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                processed_at INTEGER NULL,
                lease_until INTEGER NULL);
            CREATE INDEX deliveries_open ON deliveries (processed_at, received_at);
            CREATE TABLE delivery_bodies (
                id TEXT PRIMARY KEY,
                body TEXT NOT NULL);
            INSERT INTO deliveries (id, event, body, received_at, processed_at, lease_until) VALUES
                ('done-1', 'workflow_run', '', {{Ms - 60_000}}, {{Ms - 59_000}}, NULL),
                ('pending-1', 'deployment', '', {{Ms - 3_000}}, NULL, {{Ms - 1}}),
                ('inline-1', 'workflow_run', '{"old":true}', {{Ms - 2_000}}, NULL, NULL);
            INSERT INTO delivery_bodies (id, body) VALUES ('done-1', '{"n":1}'), ('pending-1', '{"n":2}');
            CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                grp TEXT NOT NULL,
                path TEXT NOT NULL,
                body TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_at INTEGER NOT NULL,
                lease_until INTEGER NULL,
                delivered_at INTEGER NULL,
                last_error TEXT NULL);
            CREATE INDEX outbox_pending ON outbox (delivered_at, grp, seq);
            ALTER TABLE outbox ADD COLUMN dead_reason TEXT NULL;
            CREATE TABLE deployment_statuses (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                grp TEXT NOT NULL,
                repository TEXT NOT NULL,
                deployment_id INTEGER NOT NULL,
                state TEXT NOT NULL,
                body TEXT NOT NULL,
                final INTEGER NOT NULL,
                event_time INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_at INTEGER NOT NULL,
                lease_until INTEGER NULL,
                done_at INTEGER NULL,
                outcome TEXT NULL,
                last_error TEXT NULL);
            CREATE INDEX deployment_statuses_pending ON deployment_statuses (done_at, grp, seq);
            INSERT INTO outbox (seq, key, grp, path, body, attempts, next_at, lease_until, delivered_at, last_error, dead_reason) VALUES
                (1, 'build:m:delivered', 'm:job', '/', '{"n":1}', 1, {{Ms - 90_000}}, NULL, {{Ms - 60_000}}, NULL, NULL),
                (2, 'build:m:refused', 'm:job', '/', '{"n":2}', 2, {{Ms - 60_000}}, NULL, {{Ms - 30_000}}, 'Echo answered 400', 'Echo answered 400'),
                (3, 'build:m:pending', 'm:job', '/', '{"n":3}', 1, {{Ms}}, {{Ms - 1}}, NULL, 'Echo answered 503', NULL);
            INSERT INTO deployment_statuses (seq, key, grp, repository, deployment_id, state, body, final, event_time, attempts, next_at, lease_until, done_at, outcome, last_error) VALUES
                (1, 'e1:success:200', 'e1', 'acme/api', 7, 'success', '{"state":"success"}', 1, 200, 1, {{Ms - 60_000}}, NULL, {{Ms - 50_000}}, 'sent', NULL),
                (2, 'e2:in_progress', 'e2', 'acme/api', 8, 'in_progress', '{"state":"in_progress"}', 0, 100, 0, {{Ms}}, NULL, NULL, NULL, NULL);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>The release before's Redis keys for the same state, as its scripts left them.</summary>
    private static async Task WriteReleaseBeforeAsync(IDatabase db, string prefix)
    {
        string K(string name) => prefix + name;
        await db.HashSetAsync(K("delivery:done-1"), [new("event", "workflow_run"), new("received_at", Ms - 60_000), new("lease_until", 0), new("processed_at", Ms - 59_000)]);
        await db.KeyExpireAsync(K("delivery:done-1"), TimeSpan.FromDays(3));
        await db.HashSetAsync(K("delivery:pending-1"), [new("event", "deployment"), new("body", "{\"n\":2}"), new("received_at", Ms - 3_000), new("lease_until", Ms - 1)]);
        await db.SortedSetAddAsync(K("deliveries:pending"), "pending-1", Ms - 3_000);

        // One an older replica is processing: its claim runs a minute more.
        await db.HashSetAsync(K("delivery:leased-1"), [new("event", "workflow_run"), new("body", "{\"n\":4}"), new("received_at", Ms - 2_000), new("lease_until", Ms + 60_000)]);
        await db.SortedSetAddAsync(K("deliveries:pending"), "leased-1", Ms - 2_000);
        await db.StringSetAsync(K("outbox:seq"), 3);
        await db.StringSetAsync(K("outbox:key:build:m:delivered"), 1);
        await db.StringSetAsync(K("outbox:key:build:m:refused"), 2);
        await db.StringSetAsync(K("outbox:key:build:m:pending"), 3);
        await db.HashSetAsync(K("outbox:dead:2"),
            [new("key", "build:m:refused"), new("grp", "m:job"), new("path", "/"), new("attempts", 2), new("reason", "Echo answered 400"), new("at", Ms - 30_000)]);
        await db.SortedSetAddAsync(K("outbox:dead"), 2, Ms - 30_000);
        await db.HashSetAsync(K("outbox:msg:3"),
            [new("key", "build:m:pending"), new("grp", "m:job"), new("path", "/"), new("body", "{\"n\":3}"), new("attempts", 1), new("next_at", Ms),
             new("lease_until", Ms - 1), new("last_error", "Echo answered 503")]);
        await db.SortedSetAddAsync(K("outbox:group:m:job"), 3, 3);
        await db.SetAddAsync(K("outbox:groups"), "m:job");
        await db.SetAddAsync(K("outbox:pending"), 3);

        static string Status(long seq, string key, string group, long deployment, string state, bool final, long eventTime) => JsonSerializer.Serialize(new
        {
            Sequence = 0, Key = key, Group = group, Repository = "acme/api", DeploymentId = deployment, State = state, Body = $"{{\"state\":\"{state}\"}}",
            Final = final, EventTime = eventTime, Attempts = 0, NextAttemptAt = Now, LastError = (string?)null, Outcome = (string?)null,
        });
        await db.StringSetAsync(K("depstatus:seq"), 2);
        await db.StringSetAsync(K("depstatus:key:e1:success:200"), 1);
        await db.StringSetAsync(K("depstatus:final:e1"), 200);
        await db.HashSetAsync(K("depstatus:msg:1"),
            [new("json", Status(1, "e1:success:200", "e1", 7, "success", true, 200)), new("attempts", 1), new("next_at", Ms - 60_000), new("lease_until", 0),
             new("outcome", "sent"), new("last_error", ""), new("done_at", Ms - 50_000)]);
        await db.SortedSetAddAsync(K("depstatus:all:e1"), 1, 1);
        await db.StringSetAsync(K("depstatus:key:e2:in_progress"), 2);
        await db.HashSetAsync(K("depstatus:msg:2"),
            [new("json", Status(2, "e2:in_progress", "e2", 8, "in_progress", false, 100)), new("attempts", 0), new("next_at", Ms), new("lease_until", 0)]);
        await db.SortedSetAddAsync(K("depstatus:pending:e2"), 2, 2);
        await db.SortedSetAddAsync(K("depstatus:all:e2"), 2, 2);
        await db.SetAddAsync(K("depstatus:groups"), ["e1", "e2"]);
    }
}
