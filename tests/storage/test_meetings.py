"""Meetings stored per report: replaced with it, listed newest first, gone with it."""

from __future__ import annotations

from storage import NewMeeting, NewPassage, NewReport, Party, Store


def meeting(a: str, b: str, sentence: str = "क ने ख से मुलाकात की।") -> NewMeeting:
    return NewMeeting(
        Party(a, "मुख्यमंत्री", ("Latin Name",)), Party(b), "दिल्ली", None, sentence, 0, len(sentence)
    )


async def add(store: Store, origin: str, published: str | None, *meetings: NewMeeting) -> int:
    async with store.transaction():
        result = await store.reports.save(
            NewReport(origin, f"शीर्षक {origin}", f"पाठ {origin}।", published=published),
            [NewPassage(f"पाठ {origin}।", ((0, 5),), b"")],
        )
        await store.meetings.replace(result.report_id, meetings)
    return result.report_id


async def test_meetings_round_trip_newest_report_first(store: Store) -> None:
    old = await add(store, "a", "2020-01-01", meeting("क", "ख"))
    new = await add(store, "b", "2024-01-01", meeting("ग", "घ"), meeting("ग", "ङ"))
    rows = await store.meetings.all()
    assert [(r.report_id, r.meeting.a.name, r.meeting.b.name) for r in rows] == [
        (new, "ग", "घ"),
        (new, "ग", "ङ"),
        (old, "क", "ख"),
    ]
    assert rows[0].meeting.a == Party("ग", "मुख्यमंत्री", ("Latin Name",))
    assert rows[0].meeting.place == "दिल्ली"
    assert rows[0].report_date == "2024-01-01"


async def test_replace_drops_the_old_meetings_of_that_report_only(store: Store) -> None:
    first = await add(store, "a", None, meeting("क", "ख"))
    await add(store, "b", None, meeting("ग", "घ"))
    async with store.transaction():
        await store.meetings.replace(first, [meeting("च", "छ")])
    names = sorted((r.meeting.a.name, r.meeting.b.name) for r in await store.meetings.all())
    assert names == [("ग", "घ"), ("च", "छ")]


async def test_meetings_go_with_their_report(store: Store) -> None:
    rid = await add(store, "a", None, meeting("क", "ख"))
    async with store.transaction():
        await store.reports.delete(rid)
    assert await store.meetings.all() == []
