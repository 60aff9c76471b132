"""What the user reads, on Telegram and in the terminal.

``texts`` holds every string (Hindi and English) and the language rule; ``present`` the reply's shape
both screens share (dates, highlights, quotes, meetings merged); ``formatting`` renders it as Telegram
HTML and ``terminal`` as plain text for ``khabri chat`` and ``khabri ask``.
"""
