using Igor.GitHubActions.Igor.Queue;
using global::Igor.GitHubActions.State;

namespace Igor.GitHubActions.Tests.State.Contracts;

/// <summary>
/// One contract for every store adapter: what the service relies on, including the atomicity that lets several
/// replicas share a store. Each adapter's fixture derives from this and supplies a fresh store.
/// </summary>
public abstract class StateStoreContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private protected abstract Task<IStateStore> CreateStoreAsync();

    [Test]
    public async Task QueueItem_SameIdempotencyKey_ReturnsTheFirstItem()
    {
        var items = Items(await CreateStoreAsync());

        var (first, created) = await items.GetOrCreateAsync(Item("k1"), CancellationToken.None);
        var (second, createdAgain) = await items.GetOrCreateAsync(Item("k1") with { DispatchId = "other" }, CancellationToken.None);

        created.Should().BeTrue();
        createdAgain.Should().BeFalse();
        second.Id.Should().Be(first.Id);
        second.DispatchId.Should().Be(first.DispatchId);
        second.Version.Should().Be(1);
    }

    [Test]
    public async Task Deliveries_AddedConcurrently_EachStoredOnce_TheRepeatsSaySo()
    {
        // SQLite writes concurrent deliveries in one transaction (group commit): each caller still gets its own answer.
        var store = await CreateStoreAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            store.Deliveries.EnqueueAsync(Delivery($"g{i % 20}", "workflow_run", $"{{\"n\":{i}}}", Now), CancellationToken.None)));

        answers.Count(a => a).Should().Be(20, "twenty distinct ids, each sent twice");
        foreach (var i in Enumerable.Range(0, 20))
        {
            (await store.Deliveries.ContainsAsync($"g{i}", CancellationToken.None)).Should().BeTrue();
        }

        (await store.Deliveries.ClaimAsync(100, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Should().HaveCount(20);
    }

    [Test]
    public async Task Identity_TheFirstWriterWins_ForEveryReplica()
    {
        var identity = (IStoreIdentity)await CreateStoreAsync();

        var first = await identity.GetOrCreateIdentityAsync(new StoreIdentity("a1b2", Now), CancellationToken.None);
        var others = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            identity.GetOrCreateIdentityAsync(new StoreIdentity($"other{i}", Now.AddHours(1)), CancellationToken.None)));

        first.Should().Be(new StoreIdentity("a1b2", Now));
        others.Should().OnlyContain(i => i == first);
    }

    [Test]
    public async Task QueueIds_AreNeverIssuedAgain_ByAStoreFoundEmpty()
    {
        var items = Items(await CreateStoreAsync());
        var (one, _) = await items.GetOrCreateAsync(Item("q1"), CancellationToken.None);
        var (two, _) = await items.GetOrCreateAsync(Item("q2"), CancellationToken.None);

        // The store is lost (a Redis without persistence restarts, the SQLite file goes): a new, empty one a minute later.
        var fresh = Items(await CreateStoreAsync());
        var (after, _) = await fresh.GetOrCreateAsync(Item("q1") with { CreatedAt = Now.AddMinutes(1) }, CancellationToken.None);

        two.Id.Should().Be(one.Id + 1);
        after.Id.Should().BeGreaterThan(two.Id, "Orca still polling queue id {0} must not be answered another job's build", two.Id);
    }

    [Test]
    public async Task QueueItem_ConcurrentCreates_OneWinner()
    {
        var items = Items(await CreateStoreAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => items.GetOrCreateAsync(Item("same") with { DispatchId = $"d{i}" }, CancellationToken.None)));

        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Item.Id).Distinct().Should().ContainSingle();
    }

    [Test]
    public async Task QueueItem_IdsAreDistinctDigits()
    {
        var items = Items(await CreateStoreAsync());

        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await items.GetOrCreateAsync(Item($"k{i}"), CancellationToken.None)).Item.Id);
        }

        ids.Should().HaveCount(5).And.OnlyHaveUniqueItems().And.OnlyContain(id => id > 0);
    }

    [Test]
    public async Task QueueItem_UpdateAndRead_RoundTripsEveryField()
    {
        var items = Items(await CreateStoreAsync());
        var (item, _) = await items.GetOrCreateAsync(Item("k"), CancellationToken.None);
        var updated = item with
        {
            State = QueueItemState.Failed, RunId = 15_000_000_001, RunNumber = 7, ErrorStatus = 422, Error = "nope",
            Request = "{\"Event\":\"workflow_dispatch\"}", Attempts = 2, AttemptStartedAt = Now.AddSeconds(3), CancelSent = true,
            DispatchedAt = Now.AddSeconds(1), LeaseUntil = Now.AddMinutes(2),
        };

        var written = await items.TryUpdateAsync(updated, CancellationToken.None);

        written.Should().BeEquivalentTo(updated with { Version = 2 });
        (await items.GetAsync(item.Id, CancellationToken.None)).Should().BeEquivalentTo(updated with { Version = 2 });
        (await items.GetAsync(item.Id + 1000, CancellationToken.None)).Should().BeNull();
        (await items.FindByRunIdAsync(15_000_000_001, CancellationToken.None))!.Id.Should().Be(item.Id);
        (await items.FindByRunIdAsync(15_000_000_002, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task QueueItem_WritersWithStaleCopies_ExactlyOneWins()
    {
        var items = Items(await CreateStoreAsync());
        var (item, _) = await items.GetOrCreateAsync(Item("race"), CancellationToken.None);

        // Ten writers all read version 1 and each tries its own transition.
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            items.TryUpdateAsync(item with { State = QueueItemState.Sending, Attempts = i + 1, LeaseUntil = Now.AddSeconds(i) }, CancellationToken.None)));

        var winners = results.Where(r => r is not null).ToArray();
        winners.Should().ContainSingle("a write against a version another writer already moved on is refused");
        var stored = await items.GetAsync(item.Id, CancellationToken.None);
        stored!.Version.Should().Be(2);
        stored.Attempts.Should().Be(winners[0]!.Attempts);
        (await items.TryUpdateAsync(item with { State = QueueItemState.Failed }, CancellationToken.None)).Should().BeNull("version 1 is stale now");
    }

    [Test]
    public async Task QueueItem_StopRacingAResolve_NeitherIsLost()
    {
        var items = Items(await CreateStoreAsync());
        var (item, _) = await items.GetOrCreateAsync(Item("stop"), CancellationToken.None);
        var sent = await items.TryUpdateAsync(item with { State = QueueItemState.Sent }, CancellationToken.None);

        // The resolver read the Sent copy; the stop lands before the resolver writes.
        var cancelled = await items.RequestCancelAsync(item.Id, CancellationToken.None);
        var stale = await items.TryUpdateAsync(sent! with { State = QueueItemState.Resolved, RunId = 9, RunNumber = 3 }, CancellationToken.None);
        stale.Should().BeNull("the stop moved the version on");
        var fresh = await items.GetAsync(item.Id, CancellationToken.None);
        var resolved = await items.TryUpdateAsync(fresh! with { State = QueueItemState.Resolved, RunId = 9, RunNumber = 3 }, CancellationToken.None);

        cancelled!.CancelRequested.Should().BeTrue();
        resolved!.State.Should().Be(QueueItemState.Resolved);
        resolved.CancelRequested.Should().BeTrue("no writer but a stop touches the cancel request");
        var stored = await items.GetAsync(item.Id, CancellationToken.None);
        stored!.CancelRequested.Should().BeTrue();
        stored.RunId.Should().Be(9);
        (await items.ListOpenAsync("m", CancellationToken.None)).Select(i => i.Id).Should().Contain(item.Id, "a requested cancel not yet sent keeps it open");
    }

    [Test]
    public async Task QueueItem_ConcurrentStopsAndWriters_EveryStopAndOneWriterLand()
    {
        var items = Items(await CreateStoreAsync());
        var (item, _) = await items.GetOrCreateAsync(Item("many"), CancellationToken.None);

        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            // Each writer retries on conflict, as the dispatcher does, and applies its change once.
            var current = (await items.GetAsync(item.Id, CancellationToken.None))!;
            while (true)
            {
                if (current.Attempts > 0)
                {
                    return false;
                }

                if (await items.TryUpdateAsync(current with { Attempts = i + 1, State = QueueItemState.Sending }, CancellationToken.None) is not null)
                {
                    return true;
                }

                current = (await items.GetAsync(item.Id, CancellationToken.None))!;
            }
        }).ToArray();
        var stops = Enumerable.Range(0, 8).Select(_ => items.RequestCancelAsync(item.Id, CancellationToken.None)).ToArray();
        await Task.WhenAll(stops);
        var won = await Task.WhenAll(writes);

        won.Count(w => w).Should().Be(1);
        var stored = await items.GetAsync(item.Id, CancellationToken.None);
        stored!.CancelRequested.Should().BeTrue();
        stored.Version.Should().Be(1 + 8 + 1, "every stop and the one winning write each moved the version once");
    }

    [Test]
    public async Task OpenQueueItems_AreUnsettledOrWaitingForACancel()
    {
        var store = await CreateStoreAsync();
        var sending = await Create(store, "s", QueueItemState.Sending);
        var sent = await Create(store, "a", QueueItemState.Sent);
        var resolved = await Create(store, "b", QueueItemState.Resolved);
        var cancelling = await Create(store, "c", QueueItemState.Resolved, cancel: true);
        var cancelSent = await Create(store, "e", QueueItemState.Resolved, cancel: true, cancelSent: true);
        var failed = await Create(store, "d", QueueItemState.Failed);

        var open = await Items(store).ListOpenAsync("m", CancellationToken.None);

        open.Select(i => i.Id).Should().BeEquivalentTo([sending.Id, sent.Id, cancelling.Id]);
        open.Should().NotContain(i => i.Id == resolved.Id || i.Id == failed.Id || i.Id == cancelSent.Id);
    }

    [Test]
    public async Task OpenItems_AreListedPerMaster_OldestFirst_SoOneMastersBacklogNeverStarvesAnother()
    {
        var items = Items(await CreateStoreAsync());
        for (var i = 0; i < 1_001; i++)
        {
            await items.GetOrCreateAsync(Item($"busy-{i}") with { Master = "busy" }, CancellationToken.None);
        }

        var (quiet, _) = await items.GetOrCreateAsync(Item("quiet") with { Master = "quiet" }, CancellationToken.None);

        (await items.ListOpenAsync("quiet", CancellationToken.None)).Select(i => i.Id).Should().Equal([quiet.Id]);
        var busy = await items.ListOpenAsync("busy", CancellationToken.None);
        busy.Should().HaveCount(1_000).And.OnlyContain(i => i.Master == "busy");
        busy.Select(i => i.Id).Should().BeInAscendingOrder("the oldest are worked on first");
    }

    [Test]
    public async Task Prune_FinishedQueueItemsPastTheRetentionGo_LiveAndRecentOnesStay()
    {
        var store = await CreateStoreAsync();
        var items = Items(store);
        var old = Now.AddDays(-10);
        var (finished, _) = await items.GetOrCreateAsync(Item("old-done") with { CreatedAt = old }, CancellationToken.None);
        finished = (await items.TryUpdateAsync(finished with { State = QueueItemState.Failed, ErrorStatus = 410, Error = "gone" }, CancellationToken.None))!;
        var (live, _) = await items.GetOrCreateAsync(Item("old-live") with { CreatedAt = old }, CancellationToken.None);
        var (recent, _) = await items.GetOrCreateAsync(Item("new-done") with { CreatedAt = Now }, CancellationToken.None);
        recent = (await items.TryUpdateAsync(recent with { State = QueueItemState.Failed, ErrorStatus = 410, Error = "gone" }, CancellationToken.None))!;

        var result = await ((IStatePruning)store).PruneAsync(new PrunePolicy(Now.AddDays(-7), Now.AddDays(-7), BatchSize: 1), CancellationToken.None);

        result.QueueItems.Should().Be(1);
        (await items.GetAsync(finished.Id, CancellationToken.None)).Should().BeNull();
        (await items.GetOrCreateAsync(Item("old-done"), CancellationToken.None)).Created.Should().BeTrue("its idempotency key went with it");
        (await items.GetAsync(live.Id, CancellationToken.None)).Should().NotBeNull("a live item is never pruned, however old");
        (await items.GetAsync(recent.Id, CancellationToken.None)).Should().NotBeNull("it is within the retention");
    }

    [Test]
    public async Task Prune_RunIndexEntriesPastTheRetentionGo()
    {
        var store = await CreateStoreAsync();
        await store.Runs.RecordRunsAsync([new RunRecord("m", "a/b/c.yml", 1, 101), new RunRecord("m", "a/b/c.yml", 2, 102)], CancellationToken.None);
        var pruning = (IStatePruning)store;

        // Entries are stamped with the store's clock, so retention is measured against the real one here.
        var kept = await pruning.PruneAsync(new PrunePolicy(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddMinutes(-5)), CancellationToken.None);
        (await store.Runs.FindRunIdAsync("m", "a/b/c.yml", 2, CancellationToken.None)).Should().Be(102);
        var pruned = await pruning.PruneAsync(new PrunePolicy(TimeProvider.System.GetUtcNow().AddMinutes(5), TimeProvider.System.GetUtcNow().AddMinutes(-5), BatchSize: 1), CancellationToken.None);

        kept.Runs.Should().Be(0);
        pruned.Runs.Should().Be(2);
        (await store.Runs.FindRunIdAsync("m", "a/b/c.yml", 1, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Runs_RecordedNumbersResolveToRunIds()
    {
        var store = await CreateStoreAsync();

        await store.Runs.RecordRunsAsync([new RunRecord("m", "a/b/c.yml", 1, 15_000_000_001), new RunRecord("m", "a/b/c.yml", 2, 15_000_000_002)], CancellationToken.None);
        await store.Runs.RecordRunsAsync([new RunRecord("m", "a/b/c.yml", 2, 15_000_000_002)], CancellationToken.None);

        (await store.Runs.FindRunIdAsync("m", "a/b/c.yml", 2, CancellationToken.None)).Should().Be(15_000_000_002);
        (await store.Runs.FindRunIdAsync("m", "a/b/c.yml", 3, CancellationToken.None)).Should().BeNull();
        (await store.Runs.FindRunIdAsync("other", "a/b/c.yml", 1, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task Deliveries_AreStoredOnceAndClaimedByOneWorker()
    {
        var store = await CreateStoreAsync();

        (await store.Deliveries.EnqueueAsync(Delivery("d1", "workflow_run", "{}", Now), CancellationToken.None)).Should().BeTrue();
        (await store.Deliveries.EnqueueAsync(Delivery("d1", "workflow_run", "{}", Now), CancellationToken.None)).Should().BeFalse();
        (await store.Deliveries.ContainsAsync("d1", CancellationToken.None)).Should().BeTrue();
        var claims = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)));

        claims.Sum(c => c.Count).Should().Be(1, "a claimed delivery is leased to one worker");
        var claimed = claims.Single(c => c.Count == 1)[0];
        WebhookPayload.Delivery(claimed).Should().Be(new WebhookDelivery("d1", "workflow_run", "{}", Now));
    }

    [Test]
    public async Task Deliveries_ABacklogPastOneReadPage_IsClaimedOldestFirst_PastWhatIsClaimed()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 250; i++)
        {
            await store.Deliveries.EnqueueAsync(Delivery($"d{i:D3}", "workflow_run", "{}", Now), CancellationToken.None);
        }

        var first = await store.Deliveries.ClaimAsync(120, TimeSpan.FromMinutes(1), Now, CancellationToken.None);
        var second = await store.Deliveries.ClaimAsync(200, TimeSpan.FromMinutes(1), Now, CancellationToken.None);

        first.Select(d => d.Key).Should().Equal(Enumerable.Range(0, 120).Select(i => $"d{i:D3}"));
        second.Select(d => d.Key).Should().Equal(Enumerable.Range(120, 130).Select(i => $"d{i:D3}"), "the claimed ones are passed over, a page at a time");
    }

    [Test]
    public async Task Deliveries_ExpiredLeaseIsClaimedAgain_CompletedIsNot()
    {
        var store = await CreateStoreAsync();
        await store.Deliveries.EnqueueAsync(Delivery("d1", "deployment", "{\"a\":1}", Now), CancellationToken.None);
        await store.Deliveries.EnqueueAsync(Delivery("d2", "deployment", "{\"a\":2}", Now.AddSeconds(1)), CancellationToken.None);
        var claimed = await store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None);
        claimed.Select(d => d.Key).Should().Equal(["d1", "d2"], "in the order they were received");

        (await store.Deliveries.CompleteAsync(claimed[0], "processed", null, Now, CancellationToken.None)).Should().BeTrue();
        var again = await store.Deliveries.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddMinutes(2), CancellationToken.None);

        again.Select(d => d.Key).Should().Equal("d2");
        (await store.Deliveries.ContainsAsync("d1", CancellationToken.None)).Should().BeTrue("completed deliveries still deduplicate redeliveries");
    }

    [Test]
    public async Task ReleasedClaims_AreClaimableAtOnce_OnlyUnderTheLeaseTheyWereTaken()
    {
        var store = await CreateStoreAsync();
        var lease = TimeSpan.FromMinutes(1);
        await store.Deliveries.EnqueueAsync(Delivery("d1", "deployment", "{}", Now), CancellationToken.None);
        await store.Deliveries.EnqueueAsync(Delivery("d2", "deployment", "{}", Now.AddSeconds(1)), CancellationToken.None);
        await store.Outbox.EnqueueAsync(Message("a1", "a"), CancellationToken.None);
        await store.Outbox.EnqueueAsync(Message("b1", "b"), CancellationToken.None);
        await store.DeploymentStatuses.EnqueueAsync(Status("s1", "e1", "in_progress", final: false, eventTime: 1), CancellationToken.None);
        var deliveries = await store.Deliveries.ClaimAsync(10, lease, Now, CancellationToken.None);
        deliveries.Should().HaveCount(2);
        var messages = await store.Outbox.ClaimAsync(10, lease, Now, CancellationToken.None);
        var statuses = await store.DeploymentStatuses.ClaimAsync(10, lease, Now, CancellationToken.None);

        // A release under another lease (the claim expired and someone else holds it) changes nothing.
        await store.Deliveries.ReleaseAsync([deliveries[0] with { LeaseUntil = Now + lease + TimeSpan.FromSeconds(1) }], CancellationToken.None);
        (await store.Deliveries.ClaimAsync(10, lease, Now, CancellationToken.None)).Should().BeEmpty();
        await store.Outbox.ReleaseAsync([messages[0] with { LeaseUntil = Now + lease + TimeSpan.FromSeconds(1) }], CancellationToken.None);
        (await store.Outbox.ClaimAsync(10, lease, Now, CancellationToken.None)).Should().BeEmpty();

        await store.Deliveries.ReleaseAsync([deliveries.Single(d => d.Key == "d1")], CancellationToken.None);
        await store.Outbox.ReleaseAsync([messages.Single(m => m.Key == "b1")], CancellationToken.None);
        await store.DeploymentStatuses.ReleaseAsync(statuses, CancellationToken.None);

        (await store.Deliveries.ClaimAsync(10, lease, Now, CancellationToken.None)).Select(d => d.Key).Should().Equal("d1");
        var reclaimed = (await store.Outbox.ClaimAsync(10, lease, Now, CancellationToken.None)).Single();
        reclaimed.Key.Should().Be("b1");
        reclaimed.Attempts.Should().Be(0, "a message given back was not tried");
        (await store.DeploymentStatuses.ClaimAsync(10, lease, Now, CancellationToken.None)).Single().Key.Should().Be("s1");

        // A finished item is not brought back by a late release.
        (await store.Outbox.CompleteAsync(reclaimed, "delivered", null, Now, CancellationToken.None)).Should().BeTrue();
        await store.Outbox.ReleaseAsync([reclaimed], CancellationToken.None);
        (await store.Outbox.ClaimAsync(10, lease, Now.AddMinutes(5), CancellationToken.None)).Select(m => m.Key).Should().Equal("a1");
        (await store.Outbox.CountPendingAsync(CancellationToken.None)).Should().Be(1);
    }

    [Test]
    public async Task LeasedQueue_AWorkerWhoseClaimPassedToAnother_CannotFinishTheItem()
    {
        var store = await CreateStoreAsync();
        var lease = TimeSpan.FromMinutes(1);
        await store.Outbox.EnqueueAsync(Message("a1", "a"), CancellationToken.None);
        await store.DeploymentStatuses.EnqueueAsync(Status("s1", "e1", "success", final: true, eventTime: 5), CancellationToken.None);
        var late = (await store.Outbox.ClaimAsync(10, lease, Now, CancellationToken.None)).Single();
        var lateStatus = (await store.DeploymentStatuses.ClaimAsync(10, lease, Now, CancellationToken.None)).Single();

        // The first claim ran out; another worker has the items now.
        var current = (await store.Outbox.ClaimAsync(10, lease, Now.AddMinutes(2), CancellationToken.None)).Single();
        var currentStatus = (await store.DeploymentStatuses.ClaimAsync(10, lease, Now.AddMinutes(2), CancellationToken.None)).Single();

        (await store.Outbox.CompleteAsync(late, "delivered", null, Now.AddMinutes(2), CancellationToken.None)).Should().BeFalse();
        (await store.Outbox.RescheduleAsync(late, Now.AddHours(1), "late", CancellationToken.None)).Should().BeFalse();
        (await store.Outbox.DeadLetterAsync(late, "late", Now.AddMinutes(2), CancellationToken.None)).Should().BeFalse();
        (await store.DeploymentStatuses.CompleteAsync(lateStatus, "refused", "late", Now.AddMinutes(2), CancellationToken.None)).Should().BeFalse();
        (await store.Outbox.CountPendingAsync(CancellationToken.None)).Should().Be(1, "the late worker changed nothing");
        (await store.Outbox.ListDeadLettersAsync(10, CancellationToken.None)).Should().BeEmpty();

        (await store.DeploymentStatuses.RescheduleAsync(currentStatus, Now.AddMinutes(2), "GitHub answered 502", CancellationToken.None)).Should().BeTrue();
        (await store.Outbox.CompleteAsync(current, "delivered", null, Now.AddMinutes(2), CancellationToken.None)).Should().BeTrue();
        (await store.Outbox.CompleteAsync(current, "delivered", null, Now.AddMinutes(2), CancellationToken.None)).Should().BeFalse("a done item is done once");
        var status = (await store.DeploymentStatuses.ListGroupAsync("e1", CancellationToken.None)).Single();
        (status.Outcome, status.Attempts, status.LastError).Should().Be((null, 1, "GitHub answered 502"));
    }

    [Test]
    public async Task Outbox_KeysAreEmittedOnce()
    {
        var store = await CreateStoreAsync();

        (await store.Outbox.EnqueueAsync(Message("build:1", "g"), CancellationToken.None)).Should().BeTrue();
        (await store.Outbox.EnqueueAsync(Message("build:1", "g"), CancellationToken.None)).Should().BeFalse();
        (await store.Outbox.ContainsAsync("build:1", CancellationToken.None)).Should().BeTrue();
        (await store.Outbox.ContainsAsync("build:2", CancellationToken.None)).Should().BeFalse();
        (await store.Outbox.CountPendingAsync(CancellationToken.None)).Should().Be(1);
    }

    [Test]
    public async Task Outbox_DeliversHeadsOfGroupsInOrder()
    {
        var store = await CreateStoreAsync();
        await store.Outbox.EnqueueAsync(Message("a1", "a"), CancellationToken.None);
        await store.Outbox.EnqueueAsync(Message("a2", "a"), CancellationToken.None);
        await store.Outbox.EnqueueAsync(Message("b1", "b"), CancellationToken.None);

        var first = await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None);
        first.Select(m => m.Key).Should().BeEquivalentTo(["a1", "b1"], "a2 waits for a1");
        (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Should().BeEmpty("claimed messages are leased");

        await store.Outbox.CompleteAsync(first.Single(m => m.Key == "a1"), "delivered", null, Now, CancellationToken.None);
        var second = await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None);

        second.Select(m => m.Key).Should().Equal("a2");
        (await store.Outbox.CountPendingAsync(CancellationToken.None)).Should().Be(2);
    }

    [Test]
    public async Task Outbox_DeadLetteredHead_UnblocksItsGroup_IsListedWithItsReason_AndIsNotPending()
    {
        var store = await CreateStoreAsync();
        await store.Outbox.EnqueueAsync(Message("p1", "job"), CancellationToken.None);
        await store.Outbox.EnqueueAsync(Message("p2", "job"), CancellationToken.None);
        var head = (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Single();
        await store.Outbox.RescheduleAsync(head, Now, "Echo answered 400", CancellationToken.None);
        head = (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Single();

        (await store.Outbox.DeadLetterAsync(head, "Echo answered 400", Now.AddSeconds(1), CancellationToken.None)).Should().BeTrue();

        var next = (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddSeconds(2), CancellationToken.None)).Single();
        next.Key.Should().Be("p2", "the group goes on past the message moved aside");
        (await store.Outbox.CountPendingAsync(CancellationToken.None)).Should().Be(1);
        (await store.Outbox.ContainsAsync("p1", CancellationToken.None)).Should().BeTrue("a moved-aside key is still emitted once only");
        var letter = (await store.Outbox.ListDeadLettersAsync(10, CancellationToken.None)).Should().ContainSingle().Subject;
        (letter.Key, letter.Group, letter.Payload.Path, letter.Attempts, letter.LastError, letter.DoneAt, letter.Outcome)
            .Should().Be(("p1", "job", "/", 2, "Echo answered 400", Now.AddSeconds(1), LeasedItem<EchoMessage>.DeadLettered));
    }

    [Test]
    public async Task Outbox_RescheduledMessageWaitsAndKeepsItsPlace()
    {
        var store = await CreateStoreAsync();
        await store.Outbox.EnqueueAsync(Message("a1", "a"), CancellationToken.None);
        await store.Outbox.EnqueueAsync(Message("a2", "a"), CancellationToken.None);
        var head = (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Single();

        (await store.Outbox.RescheduleAsync(head, Now.AddSeconds(30), "Echo answered 503", CancellationToken.None)).Should().BeTrue();

        (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddSeconds(10), CancellationToken.None)).Should().BeEmpty();
        var retried = (await store.Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddSeconds(31), CancellationToken.None)).Single();
        retried.Key.Should().Be("a1");
        retried.Attempts.Should().Be(1);
        retried.LastError.Should().Be("Echo answered 503");
        retried.DueAt.Should().Be(Now.AddSeconds(30));
        retried.Payload.Should().Be(new EchoMessage("/", "{\"key\":\"a1\"}"));
    }

    [Test]
    public async Task Outbox_ConcurrentClaims_NeverHandTheSameMessageTwice()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 30; i++)
        {
            await store.Outbox.EnqueueAsync(Message($"m{i}", $"g{i}"), CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => store.Outbox.ClaimAsync(50, TimeSpan.FromMinutes(1), Now, CancellationToken.None)));

        claims.SelectMany(c => c).Select(m => m.Key).Should().OnlyHaveUniqueItems().And.HaveCount(30);
    }

    [Test]
    public async Task RunSnapshots_NeverMoveBackwards()
    {
        var store = await CreateStoreAsync();
        await store.Snapshots.SaveRunSnapshotAsync(new RunSnapshot(9, "completed", 1, 3, Now.AddSeconds(10), Now), CancellationToken.None);

        await store.Snapshots.SaveRunSnapshotAsync(new RunSnapshot(9, "in_progress-late", 1, 2, Now.AddSeconds(20), Now), CancellationToken.None);
        (await store.Snapshots.GetRunSnapshotAsync(9, CancellationToken.None))!.Json.Should().Be("completed");

        await store.Snapshots.SaveRunSnapshotAsync(new RunSnapshot(9, "rerun-requested", 2, 1, Now.AddSeconds(30), Now.AddSeconds(30)), CancellationToken.None);
        var rerun = (await store.Snapshots.GetRunSnapshotAsync(9, CancellationToken.None))!;
        rerun.Json.Should().Be("rerun-requested");
        rerun.Attempt.Should().Be(2);
        rerun.ReceivedAt.Should().Be(Now.AddSeconds(30));
        (await store.Snapshots.GetRunSnapshotAsync(10, CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task DeploymentLinks_KeepTheFirstRecord_StageRuns_TheLatestAttempt()
    {
        var store = await CreateStoreAsync();

        await store.DeploymentLinks.LinkDeploymentAsync(new DeploymentLink("e1", "acme/api", 7, "app", "deploy", Now, "production"), CancellationToken.None);
        await store.DeploymentLinks.LinkDeploymentAsync(new DeploymentLink("e1", "acme/web", 8, "app", "other", Now, "staging"), CancellationToken.None);
        await store.DeploymentLinks.LinkDeploymentAsync(new DeploymentLink("e3", "acme/web", 9, "app", "other", Now), CancellationToken.None);
        await store.StageRuns.RecordStageRunAsync(new StageRun("m", "a/b/c.yml", "e1", "s", 41), CancellationToken.None);
        await store.StageRuns.RecordStageRunAsync(new StageRun("m", "a/b/c.yml", "e1", "s", 42), CancellationToken.None);

        (await store.DeploymentLinks.GetDeploymentLinkAsync("e1", CancellationToken.None)).Should().Be(new DeploymentLink("e1", "acme/api", 7, "app", "deploy", Now, "production"));
        (await store.DeploymentLinks.GetDeploymentLinkAsync("e3", CancellationToken.None))!.Environment.Should().BeNull();
        (await store.DeploymentLinks.GetDeploymentLinkAsync("e2", CancellationToken.None)).Should().BeNull();
        (await store.StageRuns.FindStageRunAsync("m", "a/b/c.yml", "e1", "s", CancellationToken.None))!.QueueId.Should().Be(42, "a restarted stage's run is the one to cancel");
        (await store.StageRuns.FindStageRunAsync("m", "a/b/c.yml", "e1", "t", CancellationToken.None)).Should().BeNull();
    }

    [Test]
    public async Task DeploymentStatuses_OncePerKey_InOrderPerExecution_StaleFinalsRefused()
    {
        var store = await CreateStoreAsync();
        var statuses = store.DeploymentStatuses;
        (await statuses.EnqueueAsync(Status("e1:in_progress", "e1", "in_progress", final: false, 100), CancellationToken.None)).Should().BeTrue();
        (await statuses.EnqueueAsync(Status("e1:in_progress", "e1", "in_progress", final: false, 100), CancellationToken.None)).Should().BeFalse();
        (await statuses.EnqueueAsync(Status("e1:success", "e1", "success", final: true, 200), CancellationToken.None)).Should().BeTrue();
        (await statuses.EnqueueAsync(Status("e1:failure", "e1", "failure", final: true, 150), CancellationToken.None)).Should().BeFalse("an older final event is stale");
        (await statuses.EnqueueAsync(Status("e2:in_progress", "e2", "in_progress", final: false, 100), CancellationToken.None)).Should().BeTrue();

        var first = await statuses.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None);
        first.Select(m => m.Key).Should().BeEquivalentTo(["e1:in_progress", "e2:in_progress"]);
        await statuses.CompleteAsync(first.Single(m => m.Group == "e1"), "sent", null, Now, CancellationToken.None);
        var second = await statuses.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None);
        second.Select(m => m.Key).Should().Equal("e1:success");
        await statuses.RescheduleAsync(second[0], Now.AddSeconds(5), "GitHub answered 502", CancellationToken.None);
        (await statuses.ClaimAsync(10, TimeSpan.FromMinutes(1), Now, CancellationToken.None)).Should().BeEmpty();
        var retried = (await statuses.ClaimAsync(10, TimeSpan.FromMinutes(1), Now.AddSeconds(6), CancellationToken.None)).Single();
        await statuses.CompleteAsync(retried, "refused", "404 Not Found", Now.AddSeconds(7), CancellationToken.None);

        var listed = await statuses.ListGroupAsync("e1", CancellationToken.None);
        listed.Select(m => (m.Payload.State, m.Outcome)).Should().Equal(("in_progress", "sent"), ("success", "refused"));
        listed[1].Key.Should().Be("e1:success");
        listed[1].Attempts.Should().Be(2);
        listed[1].LastError.Should().Be("404 Not Found");
        listed[1].DoneAt.Should().Be(Now.AddSeconds(7));
        listed[1].Payload.Should().Be(new DeploymentStatusWrite("acme/api", 7, "success", "{\"state\":\"success\"}"));
    }

    private static NewLeasedItem<DeploymentStatusWrite> Status(string key, string execution, string state, bool final, long eventTime) =>
        new(key, execution, new DeploymentStatusWrite("acme/api", 7, state, $"{{\"state\":\"{state}\"}}"), Now) { Final = final, Version = eventTime };

    private static IQueueItems Items(IStateStore store) => store.QueueItems;

    private static QueueItem Item(string key) => new()
    {
        IdempotencyKey = key, Master = "m", Job = "acme/api/deploy.yml", State = QueueItemState.Claimed,
        DispatchId = "spn-" + key, CreatedAt = Now, LeaseUntil = Now.AddMinutes(2),
    };

    /// <summary>A delivery as the webhook endpoint stores it: no group, due at once (by the tests' <see cref="Now"/> at the latest).</summary>
    private protected static NewLeasedItem<WebhookPayload> Delivery(string id, string @event, string body, DateTimeOffset receivedAt) =>
        new(id, "", new WebhookPayload(@event, receivedAt, body), receivedAt < Now ? receivedAt : Now);

    private static NewLeasedItem<EchoMessage> Message(string key, string group) =>
        new(key, group, new EchoMessage("/", $"{{\"key\":\"{key}\"}}"), Now);

    private static async Task<QueueItem> Create(IStateStore store, string key, QueueItemState state, bool cancel = false, bool cancelSent = false)
    {
        var items = Items(store);
        var (item, _) = await items.GetOrCreateAsync(Item(key), CancellationToken.None);
        var updated = await items.TryUpdateAsync(
            item with { State = state, CancelSent = cancelSent, RunId = state == QueueItemState.Resolved ? 1_000 + item.Id : null }, CancellationToken.None);
        if (cancel)
        {
            updated = await items.RequestCancelAsync(item.Id, CancellationToken.None);
        }

        return updated!;
    }
}
