"""Khabri's application: the archive core and its front ends, wiring ``retrieval`` and ``storage``.

Housed by role: ``archive/`` is the core (where a report lands, how a question is answered) and
imports no front end; ``tg/`` is the Telegram bot, ``cli/`` the ``khabri`` command, ``notify/`` the
subscriptions and feeds, ``render/`` what the user reads. ``settings``, ``logs`` and ``callbacks``
(the data every inline button carries, built and parsed in one place) serve them all;
``bench`` and ``evaluate`` are the development runners behind ``khabri bench`` and ``khabri eval``.
"""
