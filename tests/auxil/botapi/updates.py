"""The update queue that getUpdates serves: ids, confirmation by offset, ``allowed_updates``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.auxil.botapi.records import JSONDict
from tests.auxil.botapi.state import EmulatorCore
from tests.auxil.build_updates import update_kind

# Updates Telegram leaves out unless allowed_updates names them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue(EmulatorCore):
    """Updates wait here until a getUpdates with a higher offset confirms them."""

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue a raw Update for getUpdates; ``update_id`` is assigned if missing."""
        queued = dict(update)
        queued.setdefault("update_id", self._next_update_id)
        update_kind(queued)
        self._next_update_id = max(self._next_update_id, queued["update_id"] + 1)
        self._state.updates.append(queued)
        self._notify()
        return int(queued["update_id"])

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._state.updates)

    def _confirm(self, offset: int) -> None:
        """Forget the updates before ``offset``; a negative one keeps only the last ``-offset``."""
        updates = self._state.updates
        if offset < 0:
            del updates[: max(len(updates) + offset, 0)]
        elif offset > 0:
            updates[:] = [u for u in updates if u["update_id"] >= offset]

    def _deliverable(self, limit: int) -> list[JSONDict]:
        """The first ``limit`` queued updates of the kinds the bot asked for."""
        allowed = set(self._state.allowed_updates)
        wanted = [
            update
            for update in self._state.updates
            if (update_kind(update) in allowed if allowed else update_kind(update) not in _OPT_IN_UPDATES)
        ]
        return wanted[:limit]
