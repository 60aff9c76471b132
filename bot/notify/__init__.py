"""Subscriptions and feeds at run time: what arrives in the archive reaches the chats that asked for it.

``topics`` parses a subscription topic and decides whether a report matches; ``matcher`` turns new
reports into outbox rows; ``sender`` delivers them within Telegram's limits through the claiming
transport of ``send_request``; ``feeds`` polls RSS/Atom feeds into reports (and holds ``khabri feeds``);
``netguard`` is the fetch policy every feed and page request goes through; ``delivery`` holds the
:class:`~bot.notify.delivery.Notifier` that starts and stops them with the application.
"""
