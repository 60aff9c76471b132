"""The Telegram side of Khabri and its command line; the composition root."""
