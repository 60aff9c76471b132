"""What the user reads, on Telegram and in the terminal.

``texts`` holds every string (Hindi and English) and the command list; ``language`` the rule for
which of the two a user gets; ``present`` the reply's shape both screens share (dates, highlights,
quotes, meetings merged); ``formatting`` composes it as Telegram messages over ``markup`` (escaping,
links, the 4096-character limit), and ``terminal`` as plain text for ``khabri chat`` and ``khabri ask``.
"""
