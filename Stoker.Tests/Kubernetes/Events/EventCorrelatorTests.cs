using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Stoker.Silo.Kubernetes.Events;

namespace Stoker.Tests.Kubernetes.Events;

/// <summary>The aggregation rules on a fake clock: repeats are count bumps on one Event object, written at most once a second.</summary>
public sealed class EventCorrelatorTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-06T12:00:00Z", CultureInfo.InvariantCulture));

    private static EventKey Key(string message = "Profile validation failed: x", string name = "site") =>
        new("plant", name, "uid-1", "gatewaysync-controller", "Warning", "ProfilesInvalid", message);

    private EventOccurrence Now(EventKey key) => new(key, "7", _clock.GetUtcNow());

    [Fact]
    public void The_first_occurrence_is_a_create_due_at_once()
    {
        var correlator = new EventCorrelator(16, Window, Interval, _clock);
        var entry = correlator.Observe(Now(Key()));

        var write = Assert.Single(correlator.TakeDue());
        Assert.True(write.Create);
        Assert.Equal(1, write.Count);
        Assert.Equal(entry.EventName, write.EventName);
        Assert.StartsWith("site.", write.EventName, StringComparison.Ordinal);
        Assert.Equal("7", write.ResourceVersion);
        Assert.Equal(write.FirstTimestamp, write.LastTimestamp);
        correlator.Written(write);
        Assert.Empty(correlator.TakeDue());
        Assert.Null(correlator.NextDue());
    }

    [Fact]
    public void A_flood_of_repeats_becomes_one_patch_a_second_with_the_count_and_last_timestamp()
    {
        var correlator = new EventCorrelator(16, Window, Interval, _clock);
        correlator.Observe(Now(Key()));
        var create = Assert.Single(correlator.TakeDue());
        correlator.Written(create);

        for (var i = 0; i < 1000; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(0.5));
            correlator.Observe(Now(Key()));
        }

        // Within a second of the create nothing is due: the repeats wait as a count.
        Assert.Empty(correlator.TakeDue());
        Assert.Equal(create.FirstTimestamp + Interval, correlator.NextDue());

        _clock.Advance(Interval);
        var patch = Assert.Single(correlator.TakeDue());
        Assert.False(patch.Create);
        Assert.Equal(create.EventName, patch.EventName);
        Assert.Equal(1001, patch.Count);
        Assert.Equal(create.FirstTimestamp, patch.FirstTimestamp);
        Assert.Equal(create.FirstTimestamp + TimeSpan.FromMilliseconds(500), patch.LastTimestamp);
        correlator.Written(patch);
        Assert.Equal(0, correlator.PendingCount);
    }

    [Fact]
    public void Occurrences_during_a_write_leave_the_event_due_again()
    {
        var correlator = new EventCorrelator(16, Window, Interval, _clock);
        correlator.Observe(Now(Key()));
        var create = Assert.Single(correlator.TakeDue());
        correlator.Observe(Now(Key()));
        correlator.Written(create);

        Assert.Equal(1, correlator.PendingCount);
        _clock.Advance(Interval);
        Assert.Equal(2, Assert.Single(correlator.TakeDue()).Count);
    }

    [Fact]
    public void Another_message_type_reason_component_or_object_is_another_event()
    {
        var correlator = new EventCorrelator(16, Window, Interval, _clock);
        var key = Key();
        correlator.Observe(Now(key));
        correlator.Observe(Now(key with { Message = "Profile validation failed: y" }));
        correlator.Observe(Now(key with { Type = "Normal" }));
        correlator.Observe(Now(key with { Reason = "Paused" }));
        correlator.Observe(Now(key with { Component = "webhook-receiver" }));
        correlator.Observe(Now(key with { Name = "other" }));
        correlator.Observe(Now(key with { Uid = "uid-2" }));

        var writes = correlator.TakeDue();
        Assert.Equal(7, writes.Count);
        Assert.All(writes, w => Assert.True(w.Create));
        Assert.Equal(7, writes.Select(w => w.EventName).Distinct().Count());
    }

    [Fact]
    public void A_repeat_after_the_window_starts_a_new_event_object()
    {
        var correlator = new EventCorrelator(16, Window, Interval, _clock);
        correlator.Observe(Now(Key()));
        var first = Assert.Single(correlator.TakeDue());
        correlator.Written(first);

        _clock.Advance(Window + TimeSpan.FromSeconds(1));
        correlator.Observe(Now(Key()));
        var second = Assert.Single(correlator.TakeDue());
        Assert.True(second.Create);
        Assert.Equal(1, second.Count);
        Assert.NotEqual(first.EventName, second.EventName);

        // The first object's late acknowledgement changes nothing on the new one.
        correlator.Written(first);
        Assert.Equal(1, correlator.PendingCount);
    }

    [Fact]
    public void The_cache_is_bounded_and_evicts_the_least_recently_seen_counting_what_was_not_written()
    {
        var correlator = new EventCorrelator(2, Window, Interval, _clock);
        correlator.Observe(Now(Key("a")));
        correlator.Observe(Now(Key("b")));
        correlator.Observe(Now(Key("a")));
        correlator.Observe(Now(Key("c")));

        Assert.Equal(2, correlator.Count);
        Assert.Equal(1, correlator.DroppedUnwritten);
        var writes = correlator.TakeDue();
        Assert.Equal(["a", "c"], writes.Select(w => w.Key.Message).Order(StringComparer.Ordinal));
        Assert.Equal(2, writes.Single(w => w.Key.Message == "a").Count);
    }

    [Fact]
    public void A_long_object_name_still_gives_a_valid_event_name()
    {
        var correlator = new EventCorrelator(4, Window, Interval, _clock);
        var name = new string('a', 253);
        var entry = correlator.Observe(Now(Key(name: name)));
        Assert.True(entry.EventName.Length <= 253, entry.EventName);
        Assert.Matches("^a+\\.[0-9a-f]{16}$", entry.EventName);
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCorrelator(0, Window, Interval, _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCorrelator(1, TimeSpan.Zero, Interval, _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCorrelator(1, Window, TimeSpan.FromSeconds(-1), _clock));
    }
}
