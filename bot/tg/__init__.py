"""The Telegram front end: the python-telegram-bot application and everything only it uses.

Named ``tg`` rather than ``telegram`` so that no reader (nor a script run from inside ``bot/``, which
puts ``bot/`` first on ``sys.path``) can take it for python-telegram-bot's own ``telegram`` package.

``app`` is the composition root (``build_application``, polling or webhook, ``serve``); ``context``
the typed context handlers receive; ``handlers/`` the handlers, a module a kind; ``errors`` the one
error handler; ``processing`` the update processor that keeps one chat in order; ``budget`` the
per-chat reply budget and the rate limiter; ``group_admins`` who may change a group's subscriptions;
``webhook_server`` the webhook server that checks the secret before reading a body.
"""
